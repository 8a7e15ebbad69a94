// The demo page: every Connect adds a pane with its own client connection to
// /ws/<room>?name=<name>&recover=1. All user text reaches the DOM through textContent, never as HTML.
// The pane subscribes to its room's topic, a stream (docs/recovery.md): after a reconnect it
// shows what was sent while it was away (recovered), or re-reads the history when the server
// cannot replay it (reloaded); the pane's `data-recovery` says which.
// The client is the generated typed client (/typed-client.js, from the server's Swift types:
// inbound payloads validated against them) over the stock runtime (/wskit.js), which keeps the
// room's stream position.
import { createTypedClient } from "/typed-client.js";
import { RpcError } from "/wskit.js";

const HISTORY_LIMIT = 100;
const MAX_LOG_ITEMS = 500;

const panes = new Set();
const panesElement = document.getElementById("panes");
const emptyElement = document.getElementById("empty");
const template = document.getElementById("pane-template");

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hue(text) {
  let h = 2166136261;
  for (const c of String(text)) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
  return Math.round((h % 1000) * 137.508) % 360;
}

function avatar(member) {
  const node = element("span", "avatar", (member.displayName.trim()[0] ?? "?").toUpperCase());
  node.style.setProperty("--hue", String(hue(member.displayName)));
  return node;
}

function formatTime(ts) {
  const date = new Date(ts);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${time}`;
}

const STATE_LABELS = {
  connecting: "Connecting…",
  open: "Connected",
  closing: "Disconnecting…",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
};

/** One room connection and its UI. */
class ChatPane {
  constructor(room, name) {
    this.room = room;
    this.name = name;
    this.selfIds = new Set();
    this.selfUserId = null;
    this.users = new Map();
    this.rows = new Map();
    this.syncing = false;
    this.buffered = [];
    this.hasConnected = false;
    this.hasSubscribed = false;
    this.topic = `chat:${room}`;
    // The ids of the ROOM_MESSAGE pushes this pane received, in order (for the browser test).
    this.deliveries = [];

    const fragment = template.content.cloneNode(true);
    this.root = fragment.querySelector(".pane");
    this.root.dataset.room = room;
    this.root.querySelector(".room").textContent = `#${room}`;
    this.root.querySelector(".as").textContent = `as ${name}`;
    this.badge = this.root.querySelector(".badge");
    this.log = this.root.querySelector(".log");
    this.usersList = this.root.querySelector(".users");
    this.count = this.root.querySelector(".count");
    this.input = this.root.querySelector(".text");
    this.sendButton = this.root.querySelector(".send");
    this.clearButton = this.root.querySelector(".clear");
    this.disconnectButton = this.root.querySelector(".disconnect");
    this.input.placeholder = `Message #${room}`;

    const path = `/ws/${encodeURIComponent(room)}?name=${encodeURIComponent(name)}&recover=1`;
    this.client = createTypedClient(path);
    this.root.querySelector(".url").textContent = new URL(path, location.href).toString().replace(/^http/, "ws");

    this.root.querySelector(".composer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.sendMessage();
    });
    this.clearButton.addEventListener("click", () => this.clearHistory());
    this.disconnectButton.addEventListener("click", () => this.disconnect());

    this.client.onState((state, info) => this.onState(state, info));
    this.client.on("ROOM_MESSAGE", (row) => {
      this.deliveries.push(row.id);
      this.whenSynced(() => this.addRow(row, false));
    });
    // The room's stream: the answer says whether what was missed follows (recovered) or not.
    this.client.subscribe(this.topic);
    this.client.onSubscribed((event) => this.onSubscribed(event));
    // The Online list is the room's presence: a state, then diffs (rebuilt on every reconnect).
    // This connection follows one room (the server's spelling of its name), so no filter.
    this.presence = this.client.presence();
    this.presence.onSync((users) => {
      this.users = new Map(users.map(({ key, metas }) =>
        [key, { userId: key, displayName: metas[0]?.displayName ?? key }]));
      this.renderUsers();
    });
    this.client.on("USER_JOINED", (member) => this.whenSynced(() => this.joined(member)));
    this.client.on("USER_LEFT", (member) => this.whenSynced(() => this.left(member)));
    this.client.on("HISTORY_CLEARED", (event) => this.cleared(event));
    const problems = { parse: "Unreadable message", invalid: "Invalid message" };
    this.client.onError((error, kind) => this.event(`${problems[kind] ?? "Server error"}: ${error.message}`, "error"));

    panesElement.append(this.root);
    this.client.connect().catch((error) => this.event(`Could not connect: ${error.message}`, "error"));
  }

  // MARK: Connection

  onState(state, info) {
    let label = STATE_LABELS[state] ?? state;
    if (state === "reconnecting" && info?.attempt) label = `Reconnecting… (attempt ${info.attempt})`;
    this.badge.dataset.state = state;
    this.badge.textContent = label;
    const open = state === "open";
    const usable = open || state === "reconnecting";
    this.input.disabled = !usable;
    this.sendButton.disabled = !usable;
    this.clearButton.disabled = !open;
    this.input.placeholder = open ? `Message #${this.room}` : "Offline — messages are sent when the connection is back";
    if (open) {
      this.loadPresence();
      this.hasConnected = true;
    } else if (state === "reconnecting" && info?.attempt === 1) {
      this.event(`Connection lost (code ${info.code}) — reconnecting`, "leave");
    }
  }

  /** After every (re)connect: who is online, and which of them is this pane. */
  async loadPresence() {
    try {
      const presence = await this.client.request("LIST_PRESENCE", {});
      this.selfUserId = presence.selfUserId;
      this.selfIds.add(presence.selfUserId);
      this.renderUsers();
    } catch (error) {
      this.event(`Could not load who is online: ${error.message}`, "error");
    }
  }

  /** The room's subscription answer, after every (re)connect. */
  onSubscribed(event) {
    if (event.topic !== this.topic) return;
    if (event.error) {
      this.event(`Could not follow the room: ${event.error.code} ${event.error.message ?? ""}`, "error");
      return;
    }
    const isReconnect = this.hasSubscribed;
    this.hasSubscribed = true;
    if (event.recovered) {
      // The missed pushes follow this answer, in order, then live ones: nothing to reload.
      this.root.dataset.recovery = "recovered";
      const count = event.replayed === 1 ? "1 missed event" : `${event.replayed} missed events`;
      this.event(`Reconnected — recovered ${count}`, "join");
    } else {
      this.root.dataset.recovery = isReconnect ? "reloaded" : "loaded";
      this.reloadHistory(isReconnect);
    }
  }

  /** Reads the history (first connect, or recovery impossible); pushes that arrive meanwhile wait. */
  async reloadHistory(isReconnect) {
    this.syncing = true;
    this.buffered = [];
    try {
      const history = await this.client.request("LIST_HISTORY", { limit: HISTORY_LIMIT });
      this.rows.clear();
      this.log.replaceChildren();
      for (const row of history.messages) this.addRow(row, true);
      if (isReconnect) this.event("Reconnected — could not recover: history reloaded, presence re-synced", "join");
    } catch (error) {
      this.event(`Could not load the room: ${error.message}`, "error");
    } finally {
      this.syncing = false;
      const waiting = this.buffered;
      this.buffered = [];
      for (const apply of waiting) apply();
    }
  }

  whenSynced(apply) {
    if (this.syncing) this.buffered.push(apply); else apply();
  }

  async disconnect() {
    this.disconnectButton.disabled = true;
    await this.client.close();
    this.root.remove();
    panes.delete(this);
    updateEmpty();
  }

  // MARK: Actions

  async sendMessage() {
    const text = this.input.value;
    if (text.trim() === "") return;
    this.input.value = "";
    const pending = this.client.state === "open" ? null : this.pendingLine(text);
    try {
      await this.client.request("SEND_MESSAGE", { text });
    } catch (error) {
      this.input.value = this.input.value || text;
      this.event(this.describe(error), "error");
    } finally {
      pending?.remove();
    }
  }

  async clearHistory() {
    try {
      await this.client.request("CLEAR_HISTORY", {});
    } catch (error) {
      this.event(this.describe(error), "error");
    }
  }

  describe(error) {
    if (error instanceof RpcError) {
      if (error.code === "RESOURCE_EXHAUSTED") {
        return `Slow down: ${error.message}${error.retryAfterMs ? ` (retry in ${error.retryAfterMs} ms)` : ""}`;
      }
      const issue = error.details?.issues?.[0];
      return issue ? `${error.code}: ${issue.path} ${issue.message}` : `${error.code}: ${error.message}`;
    }
    return error.message;
  }

  // MARK: Rendering

  addRow(row, fromHistory) {
    if (this.rows.has(row.id)) return;
    const mine = this.selfIds.has(row.userId);
    const item = element("li", `msg${mine ? " mine" : ""}${fromHistory ? " history" : ""}`);
    item.dataset.id = row.id;
    item.append(avatar(row));
    const bubble = element("div", "bubble");
    const meta = element("div", "meta");
    meta.append(element("span", "who", row.displayName), element("time", "time", formatTime(row.ts)));
    if (fromHistory) meta.append(element("span", "tag", "history"));
    bubble.append(meta, element("div", "text", row.text));
    item.append(bubble);
    this.rows.set(row.id, item);
    this.append(item);
  }

  pendingLine(text) {
    const item = element("li", "msg mine pending");
    item.append(avatar({ displayName: this.name }));
    const bubble = element("div", "bubble");
    const meta = element("div", "meta");
    meta.append(element("span", "who", this.name), element("span", "tag", "queued"));
    bubble.append(meta, element("div", "text", text));
    item.append(bubble);
    this.append(item);
    return item;
  }

  joined(member) {
    this.event(`${member.displayName} joined · ${formatTime(Date.now())}`, "join");
  }

  left(member) {
    // A recovered stream replays this pane's own previous connection leaving: not news.
    if (this.selfIds.has(member.userId)) return;
    this.event(`${member.displayName} left · ${formatTime(Date.now())}`, "leave");
  }

  cleared(event) {
    this.rows.clear();
    this.log.replaceChildren();
    this.event(`History cleared by ${event.clearedByDisplayName} · ${formatTime(event.ts)}`, "cleared");
  }

  event(text, kind) {
    this.append(element("li", `event ${kind}`, text));
  }

  append(item) {
    const nearBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    this.log.append(item);
    while (this.log.children.length > MAX_LOG_ITEMS) {
      const first = this.log.firstElementChild;
      if (first.dataset.id) this.rows.delete(first.dataset.id);
      first.remove();
    }
    if (nearBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  renderUsers() {
    const sorted = [...this.users.values()].sort((a, b) =>
      a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId));
    const items = sorted.map((user) => {
      const you = user.userId === this.selfUserId;
      const item = element("li", you ? "you" : "");
      item.dataset.userId = user.userId;
      item.append(avatar(user), element("span", "name", user.displayName));
      if (you) item.append(element("span", "tag", "(you)"));
      return item;
    });
    this.usersList.replaceChildren(...items);
    this.count.textContent = String(sorted.length);
  }
}

function updateEmpty() {
  emptyElement.hidden = panes.size > 0;
}

function connect(room, name) {
  const pane = new ChatPane(room.trim() || "lobby", name.trim() || "anon");
  panes.add(pane);
  updateEmpty();
  return pane;
}

document.getElementById("connect-form").addEventListener("submit", (event) => {
  event.preventDefault();
  connect(document.getElementById("room-input").value, document.getElementById("name-input").value);
});

window.addEventListener("online", () => { for (const pane of panes) pane.client.retryNow(); });

// For the browser test and the curious: `wskitDemo.panes`, `wskitDemo.connect(room, name)`.
window.wskitDemo = { panes, connect };
