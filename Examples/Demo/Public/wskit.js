// wskit.js — a small browser client for WSKit's wire protocol (docs/wire-protocol.md).
// Plain JavaScript, an ES module, no build step; types in wskit.d.ts next to it.
//
//   import { WSKitClient } from "/wskit.js";
//   const client = new WSKitClient("/ws/lobby?name=Ada");
//   client.on("ROOM_MESSAGE", (row) => console.log(row.text));
//   client.onState((state) => console.log(state));
//   await client.connect();
//   const { id } = await client.request("SEND_MESSAGE", { text: "hi" }, { timeoutMs: 5000 });
//
// Semantics follow the Swift client (WSKitClient, docs/client.md): states closed → connecting →
// open → closing → closed, with reconnecting while a backoff delay runs; full-jitter exponential
// backoff; a bounded offline queue; requests correlated by meta.correlationId with timeouts,
// progress ($ws:rpc-progress) and cancellation ($ws:abort); requests are never resent by
// themselves after a drop (they may have reached the server).
//
// Topics with history (docs/recovery.md): client.subscribe(topic) sends $ws:subscribe, and after
// every reconnect resubscribes from the last (epoch, offset) it received on the topic, before the
// offline queue; the server replays what was missed, in order, before live publications, and
// answers $ws:subscribed {topic, recovered, …}, seen through client.onSubscribed(listener).

/** Base class of every error the client rejects with. */
export class WSKitError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server answered a request with RPC_ERROR (or a correlated ERROR). */
export class RpcError extends WSKitError {
  constructor(payload, correlationId) {
    const p = payload && typeof payload === "object" ? payload : {};
    super(typeof p.message === "string" && p.message ? p.message : String(p.code ?? "INTERNAL"));
    this.code = typeof p.code === "string" ? p.code : "INTERNAL";
    this.details = p.details;
    this.retryAfterMs = p.retryAfterMs;
    this.retryable = typeof p.retryable === "boolean" ? p.retryable : RETRYABLE_CODES.has(this.code);
    this.correlationId = correlationId;
  }
}

/** No reply within the request's timeout (the server was sent $ws:abort). */
export class TimeoutError extends WSKitError {
  constructor(timeoutMs) {
    super(`no reply within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection ended before the reply arrived, or close() was called. */
export class ConnectionClosedError extends WSKitError {
  constructor(info) {
    super(`connection closed before the reply (code ${info?.code ?? 1006})`);
    this.code = info?.code ?? 1006;
    this.reason = info?.reason ?? "";
  }
}

/** connect() gave up: the close was terminal, or the attempts ran out. */
export class ConnectionFailedError extends WSKitError {
  constructor(info) {
    super(`connection failed (code ${info?.code ?? 1006}${info?.reason ? `: ${info.reason}` : ""})`);
    this.code = info?.code ?? 1006;
    this.reason = info?.reason ?? "";
  }
}

/** The call is not possible in the client's current state (closing, queue full, too many pending). */
export class StateError extends WSKitError {
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

/** The request was cancelled through its AbortSignal (the server was sent $ws:abort). */
export class AbortError extends WSKitError {
  constructor() {
    super("cancelled");
  }
}

const RETRYABLE_CODES = new Set(["DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "ABORTED"]);
const PROGRESS = "$ws:rpc-progress";
const ABORT = "$ws:abort";
const HEARTBEAT = "__heartbeat";
const HEARTBEAT_ACK = "__heartbeat_ack";
const SERVER_ONLY_META = ["clientId", "receivedAt"];
const SUBSCRIBE = "$ws:subscribe";
const SUBSCRIBED = "$ws:subscribed";
const UNSUBSCRIBE = "$ws:unsubscribe";

const DEFAULTS = {
  protocols: undefined,
  reconnect: {
    enabled: true,
    initialDelayMs: 300,
    maxDelayMs: 10_000,
    maxAttempts: Infinity,
    jitter: "full",
    terminalCloseCodes: [1008, 4401, 4403],
  },
  queue: "drop-newest",
  queueSize: 1000,
  pendingRequestsLimit: 1000,
  requestTimeoutMs: 30_000,
  autoConnect: false,
  heartbeat: { intervalMs: 30_000, timeoutMs: 10_000 },
  auth: undefined,
  WebSocket: undefined,
  random: Math.random,
};

/**
 * A resilient WebSocket client for WSKit servers. See wskit.d.ts for the full API.
 */
export class WSKitClient {
  constructor(url, options = {}) {
    this.url = url;
    this.options = {
      ...DEFAULTS,
      ...options,
      reconnect: options.reconnect === false
        ? { ...DEFAULTS.reconnect, enabled: false }
        : { ...DEFAULTS.reconnect, ...(options.reconnect ?? {}) },
      heartbeat: options.heartbeat === false ? false : { ...DEFAULTS.heartbeat, ...(options.heartbeat ?? {}) },
    };
    this._state = "closed";
    this._ws = null;
    this._generation = 0;
    this._attempt = 0;
    this._reconnectTimer = null;
    this._nextRetryAt = null;
    this._manualClose = false;
    this._queue = [];
    this._pending = new Map();
    this._handlers = new Map();
    this._stateListeners = new Set();
    this._errorListeners = new Set();
    this._unhandled = null;
    this._connectWaiters = [];
    this._closeWaiters = [];
    this._lastClose = null;
    this._nextId = 1;
    this._prefix = Math.floor(this.options.random() * 2 ** 32).toString(36);
    this._heartbeatTimer = null;
    this._lastInbound = 0;
    this._heartbeatSentAt = 0;
    this._topics = new Map();
    this._subscribedListeners = new Set();
    this.protocol = "";
  }

  /** "closed" | "connecting" | "open" | "closing" | "reconnecting" */
  get state() { return this._state; }
  /** Whether the client is open. */
  get isConnected() { return this._state === "open"; }
  /** How the last connection (or attempt) ended: {code, reason, wasClean}, or null. */
  get lastClose() { return this._lastClose; }
  /** Attempts since the last open (0 while open). */
  get attempt() { return this._attempt; }
  /** When the next reconnect attempt starts (ms since epoch), while reconnecting. */
  get nextRetryAt() { return this._nextRetryAt; }
  /** Messages waiting in the offline queue. */
  get queuedCount() { return this._queue.length; }
  /** Requests waiting for a reply (queued ones included). */
  get pendingCount() { return this._pending.size; }

  // MARK: Connecting and closing

  /** Connects; resolves once open. Idempotent; waits through reconnect attempts. */
  connect() {
    if (this._state === "open") return Promise.resolve();
    return new Promise((resolve, reject) => {
      this._connectWaiters.push({ resolve, reject });
      this._manualClose = false;
      if (this._state === "closed") {
        this._attempt = 0;
        this._open();
      } else if (this._state === "reconnecting" && this._reconnectTimer === null) {
        this._open();
      }
    });
  }

  /** Closes and stays closed: empties the queue, fails pending requests. Never rejects. */
  close({ code = 1000, reason = "" } = {}) {
    this._manualClose = true;
    this._clearReconnect();
    const info = { code, reason, wasClean: true };
    this._failQueue(info);
    this._failPending(info, () => true);
    this._rejectConnectWaiters(new ConnectionClosedError(info));
    if (this._state === "closed") return Promise.resolve();
    return new Promise((resolve) => {
      this._closeWaiters.push(resolve);
      const ws = this._ws;
      if (ws && (ws.readyState === 0 || ws.readyState === 1)) {
        this._setState("closing");
        try { ws.close(code, reason); } catch { ws.close(); }
      } else {
        this._ws = null;
        this._setState("closed", info);
        this._resolveCloseWaiters();
      }
    });
  }

  // MARK: Listening

  /** Calls `listener(state, info)` on every state change; returns an unsubscribe function. */
  onState(listener) {
    this._stateListeners.add(listener);
    return () => this._stateListeners.delete(listener);
  }

  /** Resolves the next time the client is open. */
  onceOpen() {
    if (this._state === "open") return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onState((state) => { if (state === "open") { off(); resolve(); } });
    });
  }

  /** Calls `handler(payload, envelope)` for every inbound message of `type`, in registration order. */
  on(type, handler) {
    let set = this._handlers.get(type);
    if (!set) this._handlers.set(type, (set = new Set()));
    const entry = { handler };
    set.add(entry);
    return () => set.delete(entry);
  }

  /**
   * A live model of `room`'s presence, from the `$ws:presence_state` / `$ws:presence_diff`
   * messages the server sends once the application subscribed this connection to the room
   * (docs/presence.md). After a reconnect the server's fresh state is merged as a diff.
   * Without `room`, follows every room this connection receives presence of (one model).
   */
  presence(room = null) {
    const presence = new Presence(room);
    const apply = (payload, envelope) => {
      if (room !== null && envelope.meta?.topic !== room) return;
      if (envelope.type === PRESENCE_STATE) presence.applyState(payload); else presence.applyDiff(payload);
    };
    const offs = [this.on(PRESENCE_STATE, apply), this.on(PRESENCE_DIFF, apply)];
    presence._stop = () => offs.forEach((off) => off());
    return presence;
  }

  /** Receives valid messages no handler or request claimed (one slot: the last registration wins). */
  onUnhandled(handler) {
    this._unhandled = handler;
    return () => { if (this._unhandled === handler) this._unhandled = null; };
  }

  /** Sees uncorrelated ERROR messages and frames that could not be parsed: `listener(error, kind)`. */
  onError(listener) {
    this._errorListeners.add(listener);
    return () => this._errorListeners.delete(listener);
  }

  // MARK: Topics with history

  /**
   * Subscribes this connection to a server topic (`$ws:subscribe`; the server needs
   * `PubSubPlugin(clientSubscriptions: true)`) and keeps it subscribed: after every reconnect the
   * client resubscribes from the last position it received, so the server replays what was
   * missed (in order, before live publications) or answers `recovered: false`. Offline, it is
   * sent when the connection opens. The answers arrive on `onSubscribed`; publications reach the
   * `on(type)` handlers as usual. Idempotent.
   *
   * `from: {epoch, offset}` starts a new subscription after that position (one an earlier page or
   * session saved from `position(topic)`): the first answer then replays what came after it, or
   * says `recovered: false`. Ignored for a topic already subscribed (its own position is newer).
   */
  subscribe(topic, { from } = {}) {
    if (!this._topics.has(topic)) {
      const valid = from && typeof from.epoch === "string" && Number.isInteger(from.offset) && from.offset >= 0;
      this._topics.set(topic, { position: valid ? { epoch: from.epoch, offset: from.offset } : null, retry: null });
    }
    if (this._state === "open") this._sendSubscribe(topic);
  }

  /** Unsubscribes from a server topic (`$ws:unsubscribe`) and forgets its position. */
  unsubscribe(topic) {
    const entry = this._topics.get(topic);
    if (!entry) return;
    clearTimeout(entry.retry);
    this._topics.delete(topic);
    if (this._state === "open") this._ws?.send(JSON.stringify({ type: UNSUBSCRIBE, payload: { topic } }));
  }

  /** The last position received on `topic`: `{epoch, offset}`, or null (not subscribed, or none yet). */
  position(topic) {
    const position = this._topics.get(topic)?.position;
    return position ? { ...position } : null;
  }

  /** The topics subscribed with `subscribe`, sorted. */
  get topics() { return [...this._topics.keys()].sort(); }

  /**
   * Calls `listener(event)` with every answer to a subscription, on `subscribe` and after every
   * reconnect, before the replayed publications: `{topic, recovered, replayed, epoch, offset,
   * error}`. `recovered: false` means the missed publications could not be replayed (a first
   * subscription, a new epoch, history trimmed or expired): reload the topic's state. `error`
   * (`{code, message}`) ends the subscription, except `ADAPTER_ERROR`, retried after a second.
   * Returns an unsubscribe function.
   */
  onSubscribed(listener) {
    this._subscribedListeners.add(listener);
    return () => this._subscribedListeners.delete(listener);
  }

  _sendSubscribe(topic) {
    const entry = this._topics.get(topic);
    if (!entry || this._ws?.readyState !== 1) return;
    const payload = { topic };
    if (entry.position) {
      payload.epoch = entry.position.epoch;
      payload.offset = entry.position.offset;
    }
    this._ws.send(JSON.stringify({ type: SUBSCRIBE, payload }));
  }

  _onSubscribed(payload) {
    const fields = payload && typeof payload === "object" ? payload : {};
    const topic = typeof fields.topic === "string" ? fields.topic : null;
    const entry = topic === null ? undefined : this._topics.get(topic);
    const error = fields.error && typeof fields.error === "object" ? fields.error : null;
    const recovered = fields.recovered === true;
    const hasPosition = typeof fields.epoch === "string" && Number.isInteger(fields.offset) && fields.offset >= 0;
    // Recovered: the replay that follows moves the position. Not recovered: live publications
    // follow the answered position.
    if (entry && !error && !recovered) entry.position = hasPosition ? { epoch: fields.epoch, offset: fields.offset } : null;
    if (entry && error) {
      if (error.code === "ADAPTER_ERROR") {
        // The server's broker failed: ask again in a second, from the same position.
        clearTimeout(entry.retry);
        entry.retry = setTimeout(() => { entry.retry = null; if (this._topics.get(topic) === entry) this._sendSubscribe(topic); }, 1000);
      } else {
        this._topics.delete(topic);
      }
    }
    const event = {
      topic, recovered, replayed: Number.isInteger(fields.replayed) ? fields.replayed : 0,
      epoch: hasPosition ? fields.epoch : null, offset: hasPosition ? fields.offset : null, error,
    };
    for (const listener of [...this._subscribedListeners]) {
      try { listener(event); } catch (e) { console.error(e); }
    }
  }

  // MARK: Sending

  /**
   * Sends a message without waiting: "sent", "queued" (offline; goes out in order on open) or
   * "dropped" (queue off or full, or closing). `meta.timestamp` is the time of this call.
   */
  send(type, payload, { meta } = {}) {
    const envelope = { type, meta: this._cleanMeta(meta) };
    delete envelope.meta.correlationId;
    if (payload !== undefined) envelope.payload = payload;
    return this._submit({ kind: "message", text: JSON.stringify(envelope) });
  }

  /**
   * Sends a request and resolves with the reply's payload. Options: timeoutMs (default 30 s),
   * meta, onProgress(payload), signal (AbortSignal). Rejects with RpcError, TimeoutError,
   * ConnectionClosedError, StateError or AbortError; never hangs.
   */
  request(type, payload, { timeoutMs, meta, onProgress, signal } = {}) {
    const timeout = timeoutMs ?? this.options.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortError());
      if (this._state === "closing") return reject(new StateError("the client is closing", "closing"));
      if (this._state === "closed" && !this.options.autoConnect) return reject(new StateError("not connected", "notConnected"));
      if (this._pending.size >= this.options.pendingRequestsLimit) {
        return reject(new StateError(`too many pending requests (limit ${this.options.pendingRequestsLimit})`, "tooManyPending"));
      }
      const id = `${this._prefix}-${this._nextId++}`;
      const cleanMeta = this._cleanMeta(meta);
      cleanMeta.correlationId = id;
      const deadline = Date.now() + timeout;
      const entry = {
        id, type, resolve, reject, onProgress, deadline, sentOn: null, timer: null, signal, onAbort: null,
        build: () => {
          const envelope = { type, meta: { ...cleanMeta, timeoutMs: Math.max(0, deadline - Date.now()) } };
          if (payload !== undefined) envelope.payload = payload;
          return JSON.stringify(envelope);
        },
      };
      this._pending.set(id, entry);
      entry.timer = setTimeout(() => this._end(id, new TimeoutError(timeout)), timeout);
      if (signal) {
        entry.onAbort = () => this._end(id, new AbortError());
        signal.addEventListener("abort", entry.onAbort, { once: true });
      }
      const outcome = this._submit({ kind: "request", id });
      if (outcome === "dropped") {
        const error = this.options.queue === "off"
          ? new StateError("not connected", "notConnected")
          : new StateError(`the offline queue is full (${this.options.queueSize} messages)`, "queueFull");
        this._settle(id, error);
      }
    });
  }

  // MARK: Internals — connection

  _resolveURL() {
    let url = this.url;
    if (typeof location !== "undefined" && !/^wss?:\/\//i.test(url)) {
      const base = new URL(url, location.href);
      base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
      url = base.toString();
    }
    return url;
  }

  async _open() {
    const generation = ++this._generation;
    this._setState("connecting");
    let url = this._resolveURL();
    let protocols = this.options.protocols;
    const auth = this.options.auth;
    if (auth?.getToken) {
      let token;
      try { token = await auth.getToken(); } catch { token = null; }
      if (generation !== this._generation || this._manualClose) return;
      if (token != null && token !== "") {
        if ((auth.attach ?? "query") === "query") {
          const u = new URL(url);
          u.searchParams.set(auth.queryParam ?? "access_token", token);
          url = u.toString();
        } else {
          const list = protocols == null ? [] : Array.isArray(protocols) ? [...protocols] : [protocols];
          list.push(`${auth.protocolPrefix ?? "bearer."}${token}`);
          protocols = [...new Set(list.filter(Boolean))];
        }
      }
    }
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    let ws;
    try {
      ws = protocols === undefined ? new Socket(url) : new Socket(url, protocols);
    } catch (error) {
      this._onClosed(generation, { code: 1006, reason: String(error?.message ?? error), wasClean: false });
      return;
    }
    this._ws = ws;
    ws.onopen = () => {
      if (generation !== this._generation) return;
      this.protocol = ws.protocol ?? "";
      this._attempt = 0;
      this._nextRetryAt = null;
      this._lastInbound = Date.now();
      this._setState("open");
      // Topics first, from their last positions, then what was queued offline.
      for (const topic of [...this._topics.keys()].sort()) this._sendSubscribe(topic);
      this._flushQueue();
      this._startHeartbeat(generation);
      const waiters = this._connectWaiters.splice(0);
      for (const waiter of waiters) waiter.resolve();
    };
    ws.onmessage = (event) => {
      if (generation !== this._generation) return;
      this._lastInbound = Date.now();
      if (typeof event.data === "string") {
        this._receive(event.data);
      } else if (event.data instanceof ArrayBuffer) {
        this._receive(new TextDecoder().decode(event.data));
      } else if (typeof Blob !== "undefined" && event.data instanceof Blob) {
        event.data.text().then((text) => this._receive(text));
      }
    };
    ws.onclose = (event) => {
      this._onClosed(generation, { code: event.code || 1005, reason: event.reason || "", wasClean: !!event.wasClean });
    };
    ws.onerror = () => { /* a close event follows */ };
  }

  _onClosed(generation, info) {
    if (generation !== this._generation) return;
    this._ws = null;
    this._lastClose = info;
    this._stopHeartbeat();
    // Requests in flight on this connection may have reached the server: fail them, never resend.
    this._failPending(info, (entry) => entry.sentOn === generation);
    if (this._manualClose) {
      this._setState("closed", info);
      this._resolveCloseWaiters();
      return;
    }
    const policy = this.options.reconnect;
    const terminal = policy.terminalCloseCodes.includes(info.code);
    const exhausted = this._attempt >= policy.maxAttempts;
    if (!policy.enabled || terminal || exhausted) {
      this._failQueue(info);
      this._failPending(info, () => true);
      this._setState("closed", info);
      this._rejectConnectWaiters(new ConnectionFailedError(info));
      this._resolveCloseWaiters();
      return;
    }
    this._attempt += 1;
    const bound = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (this._attempt - 1));
    const delay = policy.jitter === "none" ? bound : Math.floor(this.options.random() * (bound + 1));
    this._nextRetryAt = Date.now() + delay;
    this._setState("reconnecting", { ...info, attempt: this._attempt, delayMs: delay });
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = null;
      this._nextRetryAt = null;
      this._open();
    }, delay);
  }

  /** Skips the current backoff delay and reconnects now (for example when the browser comes back online). */
  retryNow() {
    if (this._state !== "reconnecting") return;
    this._clearReconnect();
    this._open();
  }

  _clearReconnect() {
    if (this._reconnectTimer !== null) clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    this._nextRetryAt = null;
  }

  _setState(state, info) {
    if (this._state === state && state !== "reconnecting") return;
    this._state = state;
    for (const listener of [...this._stateListeners]) {
      try { listener(state, info); } catch (error) { console.error(error); }
    }
  }

  _resolveCloseWaiters() {
    const waiters = this._closeWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  _rejectConnectWaiters(error) {
    const waiters = this._connectWaiters.splice(0);
    for (const waiter of waiters) waiter.reject(error);
  }

  // MARK: Internals — heartbeat

  _startHeartbeat(generation) {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    const tick = Math.max(250, Math.min(heartbeat.intervalMs, heartbeat.timeoutMs) / 2);
    this._heartbeatTimer = setInterval(() => {
      if (generation !== this._generation || this._state !== "open") return;
      const now = Date.now();
      if (this._heartbeatSentAt && this._lastInbound < this._heartbeatSentAt && now - this._heartbeatSentAt >= heartbeat.timeoutMs) {
        // Silence after a heartbeat: the connection is dead even if the browser has not noticed.
        const ws = this._ws;
        this._heartbeatSentAt = 0;
        if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
        try { ws?.close(4000, "heartbeat timeout"); } catch { /* closing anyway */ }
        this._onClosed(generation, { code: 1006, reason: "heartbeat timeout", wasClean: false });
        return;
      }
      if (now - this._lastInbound >= heartbeat.intervalMs && (!this._heartbeatSentAt || this._lastInbound >= this._heartbeatSentAt)) {
        this._heartbeatSentAt = now;
        this._ws?.send(JSON.stringify({ type: HEARTBEAT }));
      }
    }, tick);
  }

  _stopHeartbeat() {
    if (this._heartbeatTimer !== null) clearInterval(this._heartbeatTimer);
    this._heartbeatTimer = null;
    this._heartbeatSentAt = 0;
  }

  // MARK: Internals — outbound

  _cleanMeta(meta) {
    const clean = { ...(meta ?? {}) };
    for (const key of SERVER_ONLY_META) delete clean[key];
    if (clean.timestamp === undefined) clean.timestamp = Date.now();
    return clean;
  }

  _submit(frame) {
    if (this._state === "open" && this._ws?.readyState === 1) {
      this._write(frame);
      return "sent";
    }
    if (this._state === "closing") return "dropped";
    if (this.options.queue === "off") return "dropped";
    if (this._queue.length >= this.options.queueSize) {
      if (this.options.queue === "drop-newest") return "dropped";
      const evicted = this._queue.shift();
      if (evicted.kind === "request") this._settle(evicted.id, new StateError("evicted from the offline queue by newer messages", "evicted"));
    }
    this._queue.push(frame);
    if (this._state === "closed" && this.options.autoConnect && !this._manualClose) {
      this.connect().catch(() => {});
    }
    return "queued";
  }

  _write(frame) {
    if (frame.kind === "message") {
      this._ws.send(frame.text);
      return;
    }
    const entry = this._pending.get(frame.id);
    if (!entry) return;
    entry.sentOn = this._generation;
    this._ws.send(entry.build());
  }

  _flushQueue() {
    const frames = this._queue.splice(0);
    for (const frame of frames) {
      if (this._state !== "open") { this._queue.push(frame); continue; }
      this._write(frame);
    }
  }

  _failQueue(info) {
    const frames = this._queue.splice(0);
    for (const frame of frames) {
      if (frame.kind === "request") this._settle(frame.id, new ConnectionClosedError(info));
    }
  }

  _failPending(info, predicate) {
    for (const entry of [...this._pending.values()]) {
      if (predicate(entry)) this._settle(entry.id, new ConnectionClosedError(info));
    }
  }

  /** Ends a request locally (timeout, abort) and tells the server when it is in flight. */
  _end(id, error) {
    const entry = this._pending.get(id);
    if (!entry) return;
    if (entry.sentOn !== null) {
      if (entry.sentOn === this._generation && this._state === "open") {
        this._ws?.send(JSON.stringify({ type: ABORT, meta: { correlationId: id } }));
      }
    } else {
      this._queue = this._queue.filter((frame) => frame.id !== id);
    }
    this._settle(id, error);
  }

  _settle(id, error, value) {
    const entry = this._pending.get(id);
    if (!entry) return;
    this._pending.delete(id);
    clearTimeout(entry.timer);
    if (entry.signal && entry.onAbort) entry.signal.removeEventListener("abort", entry.onAbort);
    if (error) entry.reject(error); else entry.resolve(value);
  }

  // MARK: Internals — inbound

  _receive(text) {
    let envelope;
    try {
      envelope = JSON.parse(text);
    } catch (error) {
      this._emitError(new WSKitError(`unparseable message: ${error.message}`), "parse");
      return;
    }
    if (!envelope || typeof envelope !== "object" || typeof envelope.type !== "string") {
      this._emitError(new WSKitError("message without a type"), "parse");
      return;
    }
    const meta = envelope.meta && typeof envelope.meta === "object" ? envelope.meta : {};
    const type = envelope.type;
    if (type === HEARTBEAT_ACK) return;
    const id = typeof meta.correlationId === "string" ? meta.correlationId : null;
    if (id !== null) {
      const entry = this._pending.get(id);
      if (entry) {
        if (type === PROGRESS) {
          const payload = "payload" in envelope ? envelope.payload : envelope.data;
          try { entry.onProgress?.(payload); } catch (error) { console.error(error); }
        } else if (type === "RPC_ERROR" || type === "ERROR") {
          this._settle(id, new RpcError(envelope.payload, id));
        } else {
          this._settle(id, null, envelope.payload);
        }
        return;
      }
      // A late progress or error of a request that already ended.
      if (type === PROGRESS || type === "RPC_ERROR") return;
    }
    if (type === SUBSCRIBED) {
      this._onSubscribed(envelope.payload);
      return;
    }
    if (typeof meta.topic === "string" && Number.isInteger(meta.offset) && typeof meta.epoch === "string") {
      const entry = this._topics.get(meta.topic);
      if (entry) entry.position = { epoch: meta.epoch, offset: meta.offset };
    }
    if (type === "ERROR") {
      // An answer to our heartbeat from a server without the heartbeat plugin still proves liveness.
      this._emitError(new RpcError(envelope.payload, null), "server");
      return;
    }
    const set = this._handlers.get(type);
    if (set && set.size > 0) {
      for (const { handler } of [...set]) {
        try { handler(envelope.payload, envelope); } catch (error) { console.error(error); }
      }
      return;
    }
    try { this._unhandled?.(envelope); } catch (error) { console.error(error); }
  }

  _emitError(error, kind) {
    if (this._errorListeners.size === 0) return;
    for (const listener of [...this._errorListeners]) {
      try { listener(error, kind); } catch (e) { console.error(e); }
    }
  }
}

const PRESENCE_STATE = "$ws:presence_state";
const PRESENCE_DIFF = "$ws:presence_diff";

/**
 * One room's presence (Phoenix's client rules, ADR 0062): a state is merged as the difference to
 * what the model holds; diffs before the first state wait for it; joins merge by `$ref`, then
 * leaves remove by `$ref`. `onJoin(key, cameOnline, joined)` and `onLeave(key, wentOffline, left)`
 * report user-level online/offline: first connection of a key, last one gone.
 */
export class Presence {
  constructor(room = null) {
    this.room = room;
    this._metas = new Map();
    this._synced = false;
    this._buffered = [];
    this._joins = new Set();
    this._leaves = new Set();
    this._syncs = new Set();
    this._stop = () => {};
  }

  /** The users, sorted by key: `[{ key, metas }]`. */
  list() {
    return [...this._metas.keys()].sort().map((key) => ({ key, metas: [...this._metas.get(key)] }));
  }

  /** The metas of `key`'s connections (empty when absent). */
  metas(key) { return [...(this._metas.get(key) ?? [])]; }

  isOnline(key) { return (this._metas.get(key)?.length ?? 0) > 0; }

  get count() { return this._metas.size; }

  get isSynced() { return this._synced; }

  onJoin(handler) { this._joins.add(handler); return () => this._joins.delete(handler); }

  onLeave(handler) { this._leaves.add(handler); return () => this._leaves.delete(handler); }

  /** Called after every state or diff that changed something. */
  onSync(handler) { this._syncs.add(handler); return () => this._syncs.delete(handler); }

  /** Stops following the room. */
  stop() { this._stop(); }

  applyState(state) {
    const incoming = state && typeof state === "object" ? state : {};
    const joins = {};
    const leaves = {};
    for (const [key, entry] of Object.entries(incoming)) {
      const known = new Set((this._metas.get(key) ?? []).map((meta) => meta.$ref));
      const added = (entry?.metas ?? []).filter((meta) => !known.has(meta.$ref));
      if (added.length > 0) joins[key] = { metas: added };
    }
    for (const [key, metas] of this._metas) {
      const kept = new Set((incoming[key]?.metas ?? []).map((meta) => meta.$ref));
      const removed = metas.filter((meta) => !kept.has(meta.$ref));
      if (removed.length > 0) leaves[key] = { metas: removed };
    }
    let changed = this._merge(joins, leaves);
    this._synced = true;
    const buffered = this._buffered;
    this._buffered = [];
    for (const diff of buffered) changed = this._merge(diff?.joins ?? {}, diff?.leaves ?? {}) || changed;
    if (changed) this._emitSync();
  }

  applyDiff(diff) {
    if (!this._synced) {
      this._buffered.push(diff);
      return;
    }
    if (this._merge(diff?.joins ?? {}, diff?.leaves ?? {})) this._emitSync();
  }

  _merge(joins, leaves) {
    let changed = false;
    for (const key of Object.keys(joins).sort()) {
      const joined = joins[key]?.metas ?? [];
      if (joined.length === 0) continue;
      const metas = this._metas.get(key) ?? [];
      const cameOnline = metas.length === 0;
      for (const meta of joined) {
        const index = metas.findIndex((m) => m.$ref === meta.$ref);
        if (index >= 0) metas[index] = meta; else metas.push(meta);
      }
      this._metas.set(key, metas);
      changed = true;
      this._call(this._joins, key, cameOnline, joined);
    }
    for (const key of Object.keys(leaves).sort()) {
      const metas = this._metas.get(key);
      if (!metas) continue;
      const refs = new Set((leaves[key]?.metas ?? []).map((meta) => meta.$ref));
      const left = metas.filter((meta) => refs.has(meta.$ref));
      if (left.length === 0) continue;
      const remaining = metas.filter((meta) => !refs.has(meta.$ref));
      if (remaining.length === 0) this._metas.delete(key); else this._metas.set(key, remaining);
      changed = true;
      this._call(this._leaves, key, remaining.length === 0, left);
    }
    return changed;
  }

  _call(handlers, ...args) {
    for (const handler of [...handlers]) {
      try { handler(...args); } catch (error) { console.error(error); }
    }
  }

  _emitSync() { this._call(this._syncs, this.list()); }
}

/** Creates a client (same as `new WSKitClient(url, options)`). */
export function createClient(url, options) {
  return new WSKitClient(url, options);
}
