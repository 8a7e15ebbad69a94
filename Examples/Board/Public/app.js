// The board page: one WSKitClient. The server owns the board; this page keeps a copy at a
// version. On every (re)connect it asks SYNC {since: version}: the deltas it missed, or the whole
// board when it is too far behind. Then every DELTA push is applied in version order (a gap means
// a push was missed: sync again). Edits are requests that carry the version they were made on;
// cursors are fire-and-forget, throttled to 20 a second, and never queued while offline.
import { WSKitClient, RpcError } from "/wskit.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#ec4899"];
const CURSOR_INTERVAL_MS = 50;

const params = new URLSearchParams(location.search);
let name = params.get("board") ?? "";
if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) {
  name = "main";
  params.set("board", name);
  history.replaceState(null, "", `?${params}`);
}

const client = new WSKitClient(`/ws/${name}`);
let you = null;
let version = null;           // null until the first SYNC
const shapes = new Map();     // id → shape, as of `version`
let selected = null;
let syncing = null;
let buffered = [];            // deltas pushed while a SYNC is under way

function log(text, kind = "") {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (kind) item.className = kind;
  $("log").prepend(item);
  while ($("log").children.length > 60) $("log").lastChild.remove();
}

// ---- Sync ----

async function sync() {
  if (syncing) return syncing;
  syncing = (async () => {
    try {
      const reply = await client.request("SYNC", version === null ? {} : { since: version });
      you = reply.you;
      if (reply.shapes) {
        shapes.clear();
        for (const shape of reply.shapes) shapes.set(shape.id, shape);
        version = reply.version;
        log(`Snapshot: ${reply.shapes.length} shapes at v${version}`);
      } else {
        for (const delta of reply.deltas) applyDelta(delta);
        log(`Caught up by ${reply.deltas.length} deltas to v${reply.version}`);
      }
      render();
    } catch (error) {
      showError(error);
    } finally {
      syncing = null;
      const waiting = buffered.sort((a, b) => a.version - b.version);
      buffered = [];
      for (const delta of waiting) applyDelta(delta);
    }
  })();
  return syncing;
}

/** A delta from a push or a reply: held while a SYNC is under way. */
function apply(delta) {
  if (syncing) buffered.push(delta);
  else applyDelta(delta);
}

/** Applies the next delta; ignores old ones; a gap means one was missed. */
function applyDelta(delta) {
  if (version === null || delta.version <= version) return;
  if (delta.version > version + 1) { sync(); return; }
  const shape = delta.added ? { id: delta.shapeId } : shapes.get(delta.shapeId);
  for (const [key, value] of Object.entries(delta.fields)) if (value !== null && value !== undefined) shape[key] = value;
  shapes.set(delta.shapeId, shape);
  version = delta.version;
  const lost = delta.overwrote.find((entry) => entry.loser === you);
  if (lost) {
    log(`Your ${lost.fields.join(", ")} of ${delta.shapeId} lost to a concurrent edit (v${delta.version})`, "warn");
    flash(delta.shapeId);
  }
  render();
}

// ---- Edits ----

async function edit(shapeId, fields, base = version) {
  try {
    apply(await client.request("EDIT", { shapeId, base, fields }));
  } catch (error) {
    showError(error);
  }
}

async function add() {
  try {
    const fields = {
      x: Math.round(40 + Math.random() * 760), y: Math.round(40 + Math.random() * 420),
      color: COLORS[Math.floor(Math.random() * COLORS.length)],
    };
    const delta = await client.request("ADD", fields);
    apply(delta);
    select(delta.shapeId);
  } catch (error) {
    showError(error);
  }
}

function showError(error) {
  log(error instanceof RpcError ? `${error.code}: ${error.message}` : String(error.message ?? error), "warn");
}

// ---- Drawing ----

const lostUntil = new Map();
function flash(id) {
  lostUntil.set(id, Date.now() + 1500);
  setTimeout(render, 1600);
}

function render() {
  $("version").textContent = version === null ? "v–" : `v${version}`;
  const layer = $("shapes");
  const nodes = new Map([...layer.children].map((node) => [node.dataset.id, node]));
  for (const shape of shapes.values()) {
    let group = nodes.get(shape.id);
    if (!group) {
      group = document.createElementNS(SVG, "g");
      group.dataset.id = shape.id;
      group.append(document.createElementNS(SVG, "rect"), document.createElementNS(SVG, "text"));
      group.addEventListener("pointerdown", (event) => startDrag(event, shape.id));
      layer.append(group);
    }
    nodes.delete(shape.id);
    const dragging = drag?.id === shape.id ? drag : null;
    const [rect, label] = group.children;
    const x = dragging ? dragging.x : shape.x, y = dragging ? dragging.y : shape.y;
    rect.setAttribute("x", x); rect.setAttribute("y", y);
    rect.setAttribute("width", shape.w); rect.setAttribute("height", shape.h);
    rect.setAttribute("rx", 12); rect.setAttribute("fill", shape.color);
    label.setAttribute("x", x + shape.w / 2); label.setAttribute("y", y + shape.h / 2);
    label.textContent = shape.text || shape.id;
    group.setAttribute("class", "shape" + (selected === shape.id ? " selected" : "") + ((lostUntil.get(shape.id) ?? 0) > Date.now() ? " lost" : ""));
  }
  for (const stale of nodes.values()) stale.remove();
  const current = shapes.get(selected);
  $("selected").textContent = current ? `${current.id} at (${Math.round(current.x)}, ${Math.round(current.y)})` : "Click a shape; drag it to move it.";
}

function select(id) {
  selected = id;
  $("label-input").value = shapes.get(id)?.text ?? "";
  render();
}

// ---- Dragging (one EDIT when the shape is dropped) ----

let drag = null;
function boardPoint(event) {
  const point = $("board").createSVGPoint();
  point.x = event.clientX; point.y = event.clientY;
  return point.matrixTransform($("board").getScreenCTM().inverse());
}

function startDrag(event, id) {
  const shape = shapes.get(id);
  const at = boardPoint(event);
  select(id);
  drag = { id, dx: at.x - shape.x, dy: at.y - shape.y, x: shape.x, y: shape.y, base: version };
  $("board").setPointerCapture(event.pointerId);
}

$("board").addEventListener("pointermove", (event) => {
  const at = boardPoint(event);
  sendCursor(at.x, at.y);
  if (!drag) return;
  drag.x = Math.max(0, Math.min(1000 - shapes.get(drag.id).w, Math.round(at.x - drag.dx)));
  drag.y = Math.max(0, Math.min(600 - shapes.get(drag.id).h, Math.round(at.y - drag.dy)));
  render();
});

$("board").addEventListener("pointerup", () => {
  if (!drag) return;
  const { id, x, y, base } = drag;
  drag = null;
  const shape = shapes.get(id);
  if (shape.x !== x || shape.y !== y) edit(id, { x, y }, base);
  render();
});

// ---- Cursors: at most one per CURSOR_INTERVAL_MS, the latest one; dropped while offline ----

let lastCursorAt = 0, cursorTimer = null, pendingCursor = null;
function sendCursor(x, y) {
  pendingCursor = { x: Math.round(x), y: Math.round(y) };
  if (cursorTimer) return;
  const wait = Math.max(0, lastCursorAt + CURSOR_INTERVAL_MS - Date.now());
  cursorTimer = setTimeout(() => {
    cursorTimer = null;
    lastCursorAt = Date.now();
    if (client.state === "open" && pendingCursor) client.send("CURSOR", pendingCursor);
    pendingCursor = null;
  }, wait);
}

const cursorColors = new Map();
client.on("CURSOR_MOVED", ({ user, x, y }) => {
  const layer = $("cursors");
  let node = [...layer.children].find((child) => child.dataset.user === user);
  if (x === undefined || x === null) { node?.remove(); return; }
  if (!node) {
    node = document.createElementNS(SVG, "g");
    node.dataset.user = user;
    node.setAttribute("class", "cursor");
    const color = cursorColors.get(user) ?? COLORS[cursorColors.size % COLORS.length];
    cursorColors.set(user, color);
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("r", 7); dot.setAttribute("fill", color);
    const tag = document.createElementNS(SVG, "text");
    tag.setAttribute("x", 12); tag.setAttribute("y", 4); tag.setAttribute("fill", color);
    tag.textContent = user.slice(-4);
    node.append(dot, tag);
    layer.append(node);
  }
  node.setAttribute("transform", `translate(${x} ${y})`);
});

// ---- Wiring ----

$("add-button").addEventListener("click", add);
$("swatches").replaceChildren(...COLORS.map((color) => {
  const button = document.createElement("button");
  button.type = "button";
  button.style.background = color;
  button.title = color;
  button.addEventListener("click", () => { if (selected) edit(selected, { color }); });
  return button;
}));
$("label-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (selected) edit(selected, { text: $("label-input").value });
});
client.on("DELTA", apply);
client.onState((state, info) => {
  $("badge").dataset.state = state;
  $("badge").textContent = { open: "Connected", connecting: "Connecting…", reconnecting: `Reconnecting… (${info?.attempt ?? 1})`, closing: "Closing…", closed: "Disconnected" }[state] ?? state;
  if (state === "open") sync();
  if (state === "reconnecting") log("Connection lost: reconnecting");
});
addEventListener("online", () => client.retryNow());
render();
client.connect().catch(showError);

// For tests and the curious.
window.board = {
  client, edit, add, sync, select,
  get you() { return you; },
  get version() { return version; },
  get shapes() { return [...shapes.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })); },
};
