// Type declarations for wskit.js — the browser client of WSKit's wire protocol
// (docs/wire-protocol.md). Same semantics as the Swift client, WSKitClient.

/** Where a client stands: closed → connecting → open → closing → closed, with reconnecting between attempts. */
export type ClientState = "closed" | "connecting" | "open" | "closing" | "reconnecting";

/** How a connection (or attempt) ended. */
export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** While reconnecting: the attempt about to start (1, 2, …). */
  attempt?: number;
  /** While reconnecting: the backoff delay before it, in ms. */
  delayMs?: number;
}

/** The result of `send`. */
export type SendOutcome = "sent" | "queued" | "dropped";

/** A WSKit message on the wire. */
export interface Envelope<P = unknown> {
  type: string;
  meta?: { correlationId?: string; timestamp?: number; [key: string]: unknown };
  payload?: P;
}

/** An error payload (`ERROR` / `RPC_ERROR`). */
export interface ErrorPayload {
  code: string;
  message?: string;
  details?: Record<string, unknown>;
  retryable?: boolean;
  retryAfterMs?: number | null;
}

export interface ReconnectOptions {
  /** Default true. */
  enabled?: boolean;
  /** Delay bound of the first attempt. Default 300 ms. */
  initialDelayMs?: number;
  /** Largest delay bound. Default 10 000 ms. */
  maxDelayMs?: number;
  /** Consecutive failed attempts before giving up. Default Infinity. */
  maxAttempts?: number;
  /** "full" waits a random 0…bound; "none" exactly the bound. Default "full". */
  jitter?: "full" | "none";
  /** Close codes after which the client stays closed. Default [1008, 4401, 4403]. */
  terminalCloseCodes?: number[];
}

export interface ClientOptions {
  /** Subprotocols to offer. */
  protocols?: string | string[];
  /** Reconnection with full-jitter exponential backoff; `false` disables it. */
  reconnect?: ReconnectOptions | false;
  /** What happens to messages sent while not open. Default "drop-newest". */
  queue?: "drop-newest" | "drop-oldest" | "off";
  /** Offline queue capacity, in messages (requests included). Default 1000. */
  queueSize?: number;
  /** Most requests awaiting a reply (queued ones included). Default 1000. */
  pendingRequestsLimit?: number;
  /** Default request timeout. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** A send or request on a closed client starts connecting. Default false. */
  autoConnect?: boolean;
  /** Application heartbeat (`__heartbeat`) after `intervalMs` of silence; no answer within
   *  `timeoutMs` drops the connection (and reconnects). `false` disables it. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /** Token auth, asked on every (re)connect: `?access_token=` (default) or a `bearer.<token>` subprotocol. */
  auth?: {
    getToken: () => string | null | undefined | Promise<string | null | undefined>;
    attach?: "query" | "protocol";
    queryParam?: string;
    protocolPrefix?: string;
  };
  /** WebSocket constructor (for tests). Default `globalThis.WebSocket`. */
  WebSocket?: typeof WebSocket;
  /** Random numbers in [0, 1) for jitter and ids. Default Math.random. */
  random?: () => number;
}

export interface RequestOptions<R> {
  /** How long to wait for the reply, from this call. Default `requestTimeoutMs`. */
  timeoutMs?: number;
  /** Extra meta keys (`correlationId` is set by the client). */
  meta?: Record<string, unknown>;
  /** Called with each `$ws:rpc-progress` payload, in order, before the promise settles. */
  onProgress?: (payload: R) => void;
  /** Cancels the request: it rejects with AbortError and the server is sent `$ws:abort`. */
  signal?: AbortSignal;
}

export class WSKitError extends Error {}
/** The server answered with RPC_ERROR (or a correlated ERROR). */
export class RpcError extends WSKitError {
  readonly code: string;
  readonly details?: Record<string, unknown>;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | null;
  readonly correlationId: string | null;
}
/** No reply in time; the server was sent `$ws:abort`. */
export class TimeoutError extends WSKitError { readonly timeoutMs: number; }
/** The connection ended before the reply, or `close()` was called. Requests are never resent. */
export class ConnectionClosedError extends WSKitError { readonly code: number; readonly reason: string; }
/** `connect()` gave up (terminal close code, or attempts ran out). */
export class ConnectionFailedError extends WSKitError { readonly code: number; readonly reason: string; }
/** Not possible in the current state. */
export class StateError extends WSKitError {
  readonly kind: "closing" | "notConnected" | "tooManyPending" | "queueFull" | "evicted";
}
/** Cancelled through the request's AbortSignal. */
export class AbortError extends WSKitError {}

export class WSKitClient {
  /** `url` may be relative to the page (`/ws/lobby`): ws: or wss: follows the page's scheme. */
  constructor(url: string, options?: ClientOptions);
  readonly url: string;
  readonly state: ClientState;
  readonly isConnected: boolean;
  /** The subprotocol the server selected ("" if none). */
  readonly protocol: string;
  readonly lastClose: CloseInfo | null;
  /** Attempts since the last open. */
  readonly attempt: number;
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  readonly nextRetryAt: number | null;
  readonly queuedCount: number;
  readonly pendingCount: number;

  /** Resolves once open; idempotent; waits through reconnect attempts. Rejects with
   *  ConnectionFailedError when the client gives up, ConnectionClosedError when `close()` is called. */
  connect(): Promise<void>;
  /** Closes and stays closed: empties the offline queue, fails pending requests. Never rejects. */
  close(options?: { code?: number; reason?: string }): Promise<void>;
  /** Skips the current backoff delay. */
  retryNow(): void;

  onState(listener: (state: ClientState, info?: CloseInfo) => void): () => void;
  onceOpen(): Promise<void>;
  /** Handlers for an inbound type, called in registration order with error isolation. */
  on<P = unknown>(type: string, handler: (payload: P, envelope: Envelope<P>) => void): () => void;
  /** A live model of `room`'s presence (`$ws:presence_state` then `$ws:presence_diff`);
   *  without `room`, of every room this connection receives presence of. */
  presence(room?: string | null): Presence;
  /** Valid messages nobody claimed (single slot). */
  onUnhandled(handler: (envelope: Envelope) => void): () => void;
  /** Uncorrelated ERROR messages ("server") and unparseable frames ("parse"). */
  onError(listener: (error: WSKitError, kind: "server" | "parse") => void): () => void;

  /** Fire and forget; queued while offline (in order), `meta.timestamp` set now. */
  send<P = unknown>(type: string, payload?: P, options?: { meta?: Record<string, unknown> }): SendOutcome;
  /** A request (RPC): resolves with the reply's payload. */
  request<R = unknown, P = unknown>(type: string, payload?: P, options?: RequestOptions<R>): Promise<R>;

  /** Subscribes to a server topic (`$ws:subscribe`) and keeps it subscribed: every reconnect
   *  resubscribes from the last position received, so missed publications are replayed in order
   *  before live ones (docs/recovery.md). Sent on open when offline. Idempotent. `from` starts a
   *  new subscription after a saved position (ignored when the topic is already subscribed). */
  subscribe(topic: string, options?: { from?: StreamPosition }): void;
  /** `$ws:unsubscribe`; forgets the position. */
  unsubscribe(topic: string): void;
  /** The last position received on `topic`, or null. */
  position(topic: string): StreamPosition | null;
  /** The topics subscribed with `subscribe`, sorted. */
  readonly topics: string[];
  /** Every `$ws:subscribed` answer (on subscribe and after each reconnect, before the replay). */
  onSubscribed(listener: (event: SubscribedEvent) => void): () => void;
}

/** A place in a topic's stream: the epoch and the offset of the last publication received. */
export interface StreamPosition { epoch: string; offset: number; }

/** The answer to a topic subscription. `recovered: false`: reload the topic's state (a first
 *  subscription, a new epoch, history trimmed or expired). `error` ends the subscription, except
 *  `ADAPTER_ERROR` (retried after a second). */
export interface SubscribedEvent {
  topic: string | null;
  recovered: boolean;
  replayed: number;
  epoch: string | null;
  offset: number | null;
  error: { code: string; message?: string } | null;
}

/** One connection's presence meta: the application's fields plus `$ref` (and `$prev` on an update). */
export interface PresenceMeta {
  $ref: string;
  $prev?: string;
  [field: string]: unknown;
}

/** A user (presence key) with the metas of its connections. */
export interface PresenceUser {
  key: string;
  metas: PresenceMeta[];
}

/** One room's presence, kept from state and diffs (Phoenix's client rules). */
export class Presence {
  constructor(room?: string | null);
  readonly room: string | null;
  readonly count: number;
  readonly isSynced: boolean;
  /** The users, sorted by key. */
  list(): PresenceUser[];
  metas(key: string): PresenceMeta[];
  isOnline(key: string): boolean;
  /** `cameOnline`: the key had no connection before. */
  onJoin(handler: (key: string, cameOnline: boolean, joined: PresenceMeta[]) => void): () => void;
  /** `wentOffline`: the key has no connection left. */
  onLeave(handler: (key: string, wentOffline: boolean, left: PresenceMeta[]) => void): () => void;
  /** After every state or diff that changed something, with the new list. */
  onSync(handler: (users: PresenceUser[]) => void): () => void;
  applyState(state: Record<string, { metas: PresenceMeta[] }>): void;
  applyDiff(diff: { joins?: Record<string, { metas: PresenceMeta[] }>; leaves?: Record<string, { metas: PresenceMeta[] }> }): void;
  stop(): void;
}

export function createClient(url: string, options?: ClientOptions): WSKitClient;
