#!/usr/bin/env node
// Node `ws` WebSocket echo/broadcast server, a peer for WSKit's benchmarks.
//
// Uses Debian's node-ws package (apt-get install node-ws: ws 8.11, installed under
// /usr/share/nodejs); falls back to that path when `ws` is not on node's own module path.
//
// Contract (see Benchmarks/README.md): 127.0.0.1, `--port N` or PORT (default 9001); echo every
// text and binary message unchanged on any path but /bcast; on /bcast every message goes to every
// /bcast connection. maxPayload 16 MiB, no permessage-deflate (`--deflate`: ws's own defaults,
// perMessageDeflate: true — context takeover, 15-bit windows, threshold 1024), no idle timeout (ws
// has none; node's HTTP timeouts stop applying once a socket is upgraded), no logging.
'use strict';

let ws;
try {
  ws = require('ws');
} catch (e) {
  ws = require('/usr/share/nodejs/ws');
}

let deflate = false;

function parsePort(argv, env) {
  let value = env.PORT;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--deflate') deflate = true;
    else if (a === '--port' || a === '-p') value = argv[++i];
    else if (a.startsWith('--port=')) value = a.slice('--port='.length);
    else {
      console.error(`error: unknown argument ${a}`);
      process.exit(2);
    }
  }
  const port = Number(value === undefined ? '9001' : value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`error: bad port ${value}`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.argv, process.env);
const MAX_MESSAGE = 16 * 1024 * 1024;
const group = new Set();

const wss = new ws.WebSocketServer({
  host: '127.0.0.1',
  port,
  maxPayload: MAX_MESSAGE,
  perMessageDeflate: deflate,
  clientTracking: false,
});

function isBroadcast(url) {
  return url === '/bcast' || url.startsWith('/bcast?');
}

wss.on('connection', (socket, req) => {
  socket.on('error', () => {});
  if (isBroadcast(req.url || '/')) {
    group.add(socket);
    socket.on('close', () => group.delete(socket));
    socket.on('message', (data, isBinary) => {
      for (const member of group) {
        if (member.readyState === ws.OPEN) member.send(data, { binary: isBinary });
      }
    });
  } else {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  }
});

wss.on('error', (err) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
