/// The example's page: the fast client (on the page's thread) and the slow client (in a worker
/// that spends a set time on every message) side by side, the server's view of both, and a rate
/// slider whose bursts the page throttles before they reach the server.
enum FeedPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>WSKit flow control</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  header { padding: 12px 20px; background: #1d2330; color: #fff; display: flex; gap: 24px; align-items: center; }
  header h1 { font-size: 17px; margin: 0; }
  header label { display: flex; gap: 8px; align-items: center; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 20px; }
  .pane { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 3px #0002; }
  .pane h2 { font-size: 15px; margin: 0 0 8px; display: flex; justify-content: space-between; }
  .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin-bottom: 10px; }
  .figure { background: #f1f3f7; border-radius: 6px; padding: 6px 8px; }
  .figure b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
  .figure span { font-size: 11px; color: #5b6475; }
  .quotes { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4px; font-variant-numeric: tabular-nums; }
  .quote { padding: 3px 6px; border-radius: 4px; background: #f8f9fb; display: flex; justify-content: space-between; }
  .quote.up { background: #e3f6e8; } .quote.down { background: #fbe6e6; }
  .lag-bad b { color: #b3261e; }
  section.server { grid-column: 1 / span 2; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e8ee; }
</style>
</head>
<body>
<header>
  <h1>WSKit flow control</h1>
  <label>Feed rate <input id="rate" type="range" min="0" max="20000" step="100" value="2000"> <output id="rate-value">…</output> updates/s</label>
  <label>Slow client's cost per message <input id="cost" type="range" min="0" max="100" step="5" value="40"> <output id="cost-value">40</output> ms</label>
</header>
<main>
  <section class="pane" id="fast"><h2>Fast client <small class="state">connecting</small></h2>
    <div class="figures"></div><div class="quotes"></div></section>
  <section class="pane" id="slow"><h2>Slow client <small class="state">connecting</small></h2>
    <div class="figures"></div><div class="quotes"></div></section>
  <section class="pane server"><h2>The server's view <small>GET /stats</small></h2>
    <table><thead><tr><th>client</th><th>behind</th><th>lag</th><th>symbols waiting</th><th>skipped (coalesced)</th><th>messages</th><th>quotes</th></tr></thead>
    <tbody id="stats"></tbody></table></section>
</main>
<script>
const feedURL = (name) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/feed?name=${name}`;
const shown = 16;

// One pane: counts what its client received and shows the latest prices.
function pane(id) {
  const root = document.getElementById(id);
  const figures = root.querySelector('.figures');
  const model = { messages: 0, quotes: 0, skipped: 0, lagMs: 0, lastSeq: 0, prices: new Map(), window: [] };
  figures.innerHTML = ['messages/s', 'quotes/s', 'skipped by server', 'lag (ms)']
    .map(label => `<div class="figure"><b>0</b><span>${label}</span></div>`).join('');
  function apply(message) {
    if (message.type === 'FEED_RATE') { setRateShown(message.payload.perSecond); return; }
    if (message.type !== 'TICKS') return;
    const { quotes, skipped } = message.payload;
    model.messages += 1; model.quotes += quotes.length; model.skipped += skipped;
    model.window.push({ at: Date.now(), quotes: quotes.length });
    for (const q of quotes) {
      const previous = model.prices.get(q.symbol);
      if (!previous || previous.seq < q.seq) model.prices.set(q.symbol, { ...q, dir: previous ? Math.sign(q.price - previous.price) : 0 });
      model.lastSeq = Math.max(model.lastSeq, q.seq);
    }
    const newest = quotes[quotes.length - 1];
    if (newest) model.lagMs = Math.max(0, Date.now() - newest.at);
  }
  function render() {
    const now = Date.now();
    model.window = model.window.filter(w => now - w.at < 1000);
    const values = [model.window.length, model.window.reduce((n, w) => n + w.quotes, 0), model.skipped, model.lagMs];
    figures.querySelectorAll('b').forEach((b, i) => { b.textContent = values[i].toLocaleString(); });
    figures.children[3].classList.toggle('lag-bad', model.lagMs > 250);
    const symbols = [...model.prices.keys()].sort().slice(0, shown);
    root.querySelector('.quotes').innerHTML = symbols.map(s => {
      const q = model.prices.get(s);
      return `<div class="quote ${q.dir > 0 ? 'up' : q.dir < 0 ? 'down' : ''}"><span>${s}</span><span>${(q.price / 100).toFixed(2)}</span></div>`;
    }).join('');
  }
  function state(text) { root.querySelector('.state').textContent = text; }
  return { model, apply, render, state };
}

const fast = pane('fast');
const slow = pane('slow');

// The fast client: a WebSocket on the page's thread.
function connectFast() {
  const socket = new WebSocket(feedURL('fast'));
  socket.onopen = () => fast.state('connected');
  socket.onmessage = (event) => fast.apply(JSON.parse(event.data));
  socket.onclose = () => { fast.state('reconnecting'); setTimeout(connectFast, 1000); };
  window.flowDemo.socket = socket;
}

// The slow client: a worker that spends `cost` ms on every message before taking the next, so
// the browser stops reading its socket and the server's send buffer for it fills up.
const workerSource = `
  let cost = 40;
  onmessage = (event) => {
    if (event.data.cost !== undefined) cost = event.data.cost;
    if (event.data.url) {
      const connect = () => {
        const socket = new WebSocket(event.data.url);
        socket.onopen = () => postMessage({ state: 'connected' });
        socket.onmessage = (m) => {
          const start = performance.now();
          while (performance.now() - start < cost) {}
          postMessage({ message: JSON.parse(m.data) });
        };
        socket.onclose = () => { postMessage({ state: 'reconnecting' }); setTimeout(connect, 1000); };
      };
      connect();
    }
  };`;
const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
worker.onmessage = (event) => {
  if (event.data.state) slow.state(event.data.state);
  if (event.data.message) slow.apply(event.data.message);
};

// Client-side throttle: at most `perSecond` calls, the last value always delivered (a burst of
// slider moves becomes a few SET_RATE messages, never a flood).
function throttle(send, perSecond) {
  const gap = 1000 / perSecond;
  let last = 0, timer = null, latest;
  return (value) => {
    latest = value;
    if (timer) return;
    const wait = last + gap - Date.now();
    const fire = () => { timer = null; last = Date.now(); send(latest); };
    if (wait <= 0) fire(); else timer = setTimeout(fire, wait);
  };
}

function setRateShown(perSecond) {
  const output = document.getElementById('rate-value');
  output.textContent = perSecond.toLocaleString();
  output.dataset.value = String(perSecond);
  if (!window.flowDemo.dragging) document.getElementById('rate').value = perSecond;
}

window.flowDemo = { fast, slow, rateMessagesSent: 0, dragging: false };
window.flowDemo.setRate = throttle((perSecond) => {
  const socket = window.flowDemo.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  window.flowDemo.rateMessagesSent += 1;
  socket.send(JSON.stringify({ type: 'SET_RATE', meta: {}, payload: { perSecond } }));
}, 4);
const rate = document.getElementById('rate');
rate.addEventListener('input', () => { window.flowDemo.dragging = true; window.flowDemo.setRate(Number(rate.value)); });
rate.addEventListener('change', () => { window.flowDemo.dragging = false; });
const cost = document.getElementById('cost');
cost.addEventListener('input', () => {
  document.getElementById('cost-value').textContent = cost.value;
  worker.postMessage({ cost: Number(cost.value) });
});

connectFast();
worker.postMessage({ url: feedURL('slow'), cost: Number(cost.value) });

async function refreshStats() {
  try {
    const rows = await (await fetch('/stats')).json();
    document.getElementById('stats').innerHTML = rows.map(r => `<tr><td>${r.name}</td><td>${r.congested ? 'yes' : 'no'}</td>
      <td>${r.lagMs} ms</td><td>${r.pendingSymbols}</td><td>${r.skipped.toLocaleString()}</td><td>${r.messages.toLocaleString()}</td><td>${r.quotes.toLocaleString()}</td></tr>`).join('');
    window.flowDemo.serverStats = rows;
  } catch (error) { /* the next refresh tries again */ }
}
setInterval(() => { fast.render(); slow.render(); }, 250);
setInterval(refreshStats, 1000);
</script>
</body>
</html>
"""#
}
