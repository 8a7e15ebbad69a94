// The tic-tac-toe page: one WSKitClient per tab. The room comes from the address (?room=); the
// seat token the server hands out on JOIN is kept in sessionStorage (per tab, per room) and
// presented on every (re)connect, so a reload or a dropped network puts the player back in
// the same seat without a click.
import { WSKitClient, RpcError } from "/wskit.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let room = params.get("room") ?? "";
if (!/^[A-Za-z0-9_-]{1,32}$/.test(room)) {
  room = Math.random().toString(36).slice(2, 8);
  params.set("room", room);
  history.replaceState(null, "", `?${params}`);
}
const tokenKey = `wskit-tictactoe:${room}`;

const client = new WSKitClient(`/ws/${room}`, {
  auth: { getToken: () => sessionStorage.getItem(tokenKey) },
});
let you = null;     // "X", "O" or null (watching)
let state = null;   // the GameState with the highest version seen

function log(text, kind = "") {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (kind) item.className = kind;
  $("log").prepend(item);
  while ($("log").children.length > 50) $("log").lastChild.remove();
}

/** Keeps the newest state: pushes of one room may overtake each other. */
function apply(next) {
  if (state && next.version <= state.version) return;
  state = next;
  render();
}

function statusText() {
  if (!state) return "…";
  const away = state.seats.find((seat) => seat.taken && !seat.online);
  const note = away ? ` (${away.mark} is away: their seat is kept)` : "";
  switch (state.status) {
    case "waiting": return "Waiting for a second player";
    case "won": return (state.winner === you ? "You win!" : `${state.winner} wins`);
    case "draw": return "Draw";
    default: return (state.turn === you ? "Your turn" : `${state.turn}'s turn`) + note;
  }
}

function render() {
  $("you").replaceChildren();
  if (you) {
    const mark = document.createElement("span");
    mark.className = `mark-${you}`;
    mark.textContent = you;
    $("you").append("You are ", mark);
  } else {
    $("you").textContent = "You are watching";
  }
  $("status").textContent = statusText();
  const board = $("board");
  if (board.children.length !== 9) {
    board.replaceChildren(...Array.from({ length: 9 }, (_, cell) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cell";
      button.dataset.cell = String(cell);
      button.addEventListener("click", () => play(cell));
      return button;
    }));
  }
  const myTurn = state?.status === "playing" && state.turn === you && client.state === "open";
  [...board.children].forEach((button, cell) => {
    const mark = state?.board[cell] ?? "";
    button.textContent = mark;
    button.className = `cell ${mark}` + (state?.line?.includes(cell) ? " win" : "");
    button.disabled = !myTurn || mark !== "";
  });
  const freeSeat = state?.seats.some((seat) => !seat.taken);
  $("join-button").hidden = !!you || !freeSeat;
  const over = state?.status === "won" || state?.status === "draw";
  $("rematch-button").hidden = !you || !over;
  $("rematch-button").disabled = !!state?.rematch.includes(you);
  $("rematch-button").textContent = state?.rematch.length && !state.rematch.includes(you)
    ? `Rematch (${state.rematch[0]} wants one)` : state?.rematch.includes(you) ? "Waiting for the other player…" : "Rematch";
  $("seats").replaceChildren(...(state?.seats ?? []).map((seat) => {
    const item = document.createElement("li");
    const condition = !seat.taken ? "free" : seat.online ? "online" : "away";
    item.className = condition + (seat.mark === you ? " mine" : "");
    item.dataset.mark = seat.mark;
    const name = document.createElement("span");
    name.textContent = seat.mark + (seat.mark === you ? " (you)" : "");
    const text = document.createElement("span");
    text.className = "state";
    text.textContent = condition;
    item.append(name, text);
    return item;
  }));
  const watchers = state?.spectators ?? 0;
  $("spectators").textContent = `${watchers} watching · round ${state?.round ?? 1}`;
}

function showError(error) {
  log(error instanceof RpcError ? `${error.code}: ${error.message}` : String(error.message ?? error), "error");
}

async function play(cell) {
  try {
    apply(await client.request("MOVE", { cell }));
  } catch (error) {
    showError(error);
  }
}

$("join-button").addEventListener("click", async () => {
  try {
    const seated = await client.request("JOIN", {});
    sessionStorage.setItem(tokenKey, seated.token);
    you = seated.you;
    log(`You took seat ${you}`);
    apply(seated.state);
    render();
  } catch (error) {
    showError(error);
  }
});

$("rematch-button").addEventListener("click", async () => {
  try {
    apply(await client.request("REMATCH", {}));
  } catch (error) {
    showError(error);
  }
});

$("room-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const next = $("room-input").value.trim();
  if (/^[A-Za-z0-9_-]{1,32}$/.test(next)) location.search = `?room=${next}`;
  else log("A room name is 1–32 letters, digits, - or _", "error");
});

// Every (re)connection starts with WELCOME: this tab's seat (back in it if its token still
// holds one) and the room. A token the server no longer knows is forgotten.
client.on("WELCOME", ({ you: seat, state: next }) => {
  you = seat ?? null;
  if (!you) sessionStorage.removeItem(tokenKey);
  log(you ? `Connected: you play ${you}` : "Connected: watching");
  state = null;
  apply(next);
});
client.on("STATE", apply);
client.onState((next, info) => {
  const badge = $("badge");
  badge.dataset.state = next;
  badge.textContent = { open: "Connected", connecting: "Connecting…", reconnecting: `Reconnecting… (${info?.attempt ?? 1})`, closing: "Closing…", closed: "Disconnected" }[next] ?? next;
  if (next === "reconnecting") log("Connection lost: reconnecting");
  render();
});
addEventListener("online", () => client.retryNow());

$("room-input").value = room;
$("link").textContent = location.href;
render();
client.connect().catch(showError);

// For tests and the curious.
window.ticTacToe = { client, room, get you() { return you; }, get state() { return state; } };
