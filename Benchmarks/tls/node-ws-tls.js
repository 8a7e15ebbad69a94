// Node `ws` over https: the TLS peer of the issue-13 benchmarks (echo on every path).
//   NODE_PATH=/usr/share/nodejs node node-ws-tls.js PORT CERT KEY
const fs = require('fs');
const https = require('https');
const { WebSocketServer } = require('ws');
const [port, cert, key] = process.argv.slice(2);
const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 << 20 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
server.listen(Number(port), '127.0.0.1', () => console.error(`node ws https on ${port}`));
