/// The run-time part of the typed client module (``TypeScriptClient/module(_:clientModule:)``):
/// inbound validation, `call` by the contract's shape, and topic subscriptions that resume from
/// their last position. It reads the tables the generator writes before it (`SCHEMAS`, `RPCS`,
/// `PUBLICATION_TYPES`, `PROGRESS_TYPE`) and the stock client's exports.
extension TypeScriptClient {
    static let runtime = #"""
/** An inbound payload broke the app's declared constraints (issues as the server reports them). */
export class PayloadValidationError extends WSKitError {
  constructor(type, issues) {
    super(`invalid ${type} payload: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
    this.type = type;
    this.issues = issues;
  }
}

const SUBSCRIBE = "$ws:subscribe";
const SUBSCRIBED = "$ws:subscribed";
const UNSUBSCRIBE = "$ws:unsubscribe";

function kindOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function fits(schema, value, path, issues) {
  if (schema.anyOf) {
    for (const branch of schema.anyOf) {
      const inner = [];
      fits(branch, value, path, inner);
      if (inner.length === 0) return;
    }
    if (value === null) return issues.push({ path, code: "invalid_type", message: "expected a value, received null" });
    return fits(schema.anyOf[0], value, path, issues);
  }
  if ("const" in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) {
    return issues.push({ path, code: "invalid_literal", message: `expected ${JSON.stringify(schema.const)}` });
  }
  if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    return issues.push({ path, code: "invalid_enum_value", message: `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}; received ${JSON.stringify(value)}` });
  }
  const kind = kindOf(value);
  const expected = schema.type;
  if (expected) {
    const ok = expected === kind || (expected === "integer" && kind === "number") || (expected === "number" && kind === "number");
    if (!ok) return issues.push({ path, code: "invalid_type", message: `expected ${expected}, received ${kind}` });
    if (expected === "integer" && !Number.isInteger(value)) return issues.push({ path, code: "not_integer", message: "expected an integer" });
  }
  if (kind === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) issues.push({ path, code: "too_small", message: `must contain at least ${schema.minLength} character(s)` });
    if (schema.maxLength !== undefined && length > schema.maxLength) issues.push({ path, code: "too_big", message: `must contain at most ${schema.maxLength} character(s)` });
    if (schema.pattern !== undefined) {
      let pattern = PATTERNS.get(schema.pattern);
      if (pattern === undefined) {
        try { pattern = new RegExp(schema.pattern, "u"); } catch { pattern = null; }
        PATTERNS.set(schema.pattern, pattern);
      }
      if (pattern && !pattern.test(value)) issues.push({ path, code: "invalid_string", message: `must match pattern /${schema.pattern}/` });
    }
  } else if (kind === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) issues.push({ path, code: "too_small", message: `must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) issues.push({ path, code: "too_big", message: `must be at most ${schema.maximum}` });
  } else if (kind === "array") {
    if (schema.minItems !== undefined && value.length < schema.minItems) issues.push({ path, code: "too_small", message: `must contain at least ${schema.minItems} item(s)` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) issues.push({ path, code: "too_big", message: `must contain at most ${schema.maxItems} item(s)` });
    if (schema.items) value.forEach((item, index) => fits(schema.items, item, `${path}[${index}]`, issues));
  } else if (kind === "object") {
    const properties = schema.properties ?? {};
    for (const key of schema.required ?? []) {
      if (!(key in value)) issues.push({ path: `${path}.${key}`, code: "required", message: "required" });
    }
    for (const [key, item] of Object.entries(value)) {
      if (key in properties) fits(properties[key], item, `${path}.${key}`, issues);
      else if (schema.additionalProperties === false) issues.push({ path: `${path}.${key}`, code: "unrecognized_key", message: `unrecognized key "${key}"` });
      else if (typeof schema.additionalProperties === "object") fits(schema.additionalProperties, item, `${path}.${key}`, issues);
    }
  }
}

const PATTERNS = new Map();

/**
 * The issues of an inbound `type`'s payload against the app's constraints (JSON Schema from the
 * Swift types): `[]` when valid or when the type is not described. A missing payload is `{}`.
 */
export function validatePayload(type, payload) {
  const schema = SCHEMAS[type];
  if (schema === undefined) return [];
  const issues = [];
  fits(schema, payload === undefined ? {} : payload, "payload", issues);
  return issues.slice(0, 20);
}

/**
 * Creates a client whose send, call, request, on and subscribe are typed by the app's
 * declarations. At run time it is the stock client (reconnect, offline queue, timeouts) with:
 * inbound payloads checked against the constraints (`validateInbound`, default true: an invalid
 * push skips its handlers and reaches `onError(error, "invalid")`; an invalid reply or progress
 * rejects or is dropped), `call` (fire-and-forget or acknowledged, by the contract), and
 * `subscribe` (topics on the wire, resubscribed from the last position after every reconnect).
 */
export function createTypedClient(url, options = {}) {
  const client = new WSKitClient(url, options);
  const validating = options.validateInbound !== false;
  const check = (type, payload) => (validating ? validatePayload(type, payload) : []);

  const on = client.on.bind(client);
  client.on = (type, handler) => on(type, (payload, envelope) => {
    const issues = check(type, payload);
    if (issues.length > 0) return client._emitError(new PayloadValidationError(type, issues), "invalid");
    handler(payload, envelope);
  });

  const request = client.request.bind(client);
  client.request = (type, payload, requestOptions = {}) => {
    const rpc = RPCS[type];
    const onProgress = requestOptions.onProgress;
    const checked = { ...requestOptions };
    if (rpc && onProgress) {
      checked.onProgress = (update) => {
        const issues = check(rpc.responseType, update);
        if (issues.length > 0) return client._emitError(new PayloadValidationError(PROGRESS_TYPE, issues), "invalid");
        onProgress(update);
      };
    }
    return request(type, payload, checked).then((reply) => {
      const issues = rpc ? check(rpc.responseType, reply) : [];
      if (issues.length > 0) throw new PayloadValidationError(rpc.responseType, issues);
      return reply;
    });
  };

  /**
   * One call by the contract's shape: a message (no output) resolves once sent or queued — a
   * server failure reaches onError — and rejects with a StateError when it was dropped; an
   * acknowledgement RPC (empty output) resolves with undefined once the server acknowledged; any
   * other RPC resolves with its reply.
   */
  client.call = (type, payload, callOptions = {}) => {
    if (RPCS[type] === undefined) {
      const outcome = client.send(type, payload, callOptions);
      if (outcome === "dropped") return Promise.reject(new StateError(`${type} was dropped (closing, or the offline queue is full or off)`, "dropped"));
      return Promise.resolve(outcome);
    }
    return client.request(type, payload, callOptions).then((reply) => (RPCS[type].acknowledgement ? undefined : reply));
  };

  // Topics: the last position seen per topic, resubscribed from after every reconnect. A stock
  // client that keeps topics itself (subscribe, onSubscribed, position) does the resubscribing;
  // otherwise this module does, on the stock client's public on/send/onState.
  const topics = new Map();
  const stock = typeof client.onSubscribed === "function" && typeof client.position === "function"
    ? { subscribe: client.subscribe.bind(client), unsubscribe: client.unsubscribe.bind(client) }
    : null;
  const sendSubscribe = (entry) => {
    // The stock client starts from `from` (first subscribe) and then tracks the position itself.
    if (stock) return stock.subscribe(entry.topic, entry.epoch !== null ? { from: { epoch: entry.epoch, offset: entry.offset } } : {});
    const payload = { topic: entry.topic };
    if (entry.epoch !== null) { payload.epoch = entry.epoch; payload.offset = entry.offset; }
    client.send(SUBSCRIBE, payload);
  };
  const answered = (payload) => {
    const entry = topics.get(payload?.topic);
    if (!entry) return;
    if (payload.error) {
      entry.error = payload.error;
    } else {
      entry.error = null;
      entry.recovered = payload.recovered === true;
      if (typeof payload.epoch === "string" && (payload.replayed ?? 0) === 0) {
        // Nothing to replay: the answer's position is the head (publications continue after it).
        entry.epoch = payload.epoch;
        entry.offset = payload.offset;
      } else if (typeof payload.epoch !== "string") {
        entry.epoch = null;
        entry.offset = 0;
      }
    }
    entry._settle(payload);
    entry.onSubscribed?.(payload);
  };
  if (stock) {
    client.onSubscribed(answered);
  } else {
    on(SUBSCRIBED, answered);
    client.onState((state) => {
      if (state !== "open") return;
      for (const entry of topics.values()) sendSubscribe(entry);
    });
  }
  const tracked = new Set();
  const track = (type) => {
    if (tracked.has(type)) return;
    tracked.add(type);
    on(type, (payload, envelope) => {
      const meta = envelope.meta ?? {};
      const entry = topics.get(meta.topic);
      if (!entry) return;
      if (typeof meta.epoch === "string" && Number.isInteger(meta.offset)) {
        entry.epoch = meta.epoch;
        entry.offset = meta.offset;
      }
      if (entry.handler) {
        const issues = check(type, payload);
        if (issues.length > 0) return client._emitError(new PayloadValidationError(type, issues), "invalid");
        entry.handler(payload, envelope);
      }
    });
  };

  /**
   * Subscribes to `topic` (the server needs client subscriptions on). `handler(payload, envelope)`
   * sees the topic's publications (of topics with history: they carry meta.topic) in order:
   * after a reconnect the replayed ones, then live ones. The subscription's `recovered` says
   * whether the last (re)subscribe recovered everything missed (false: reload the state);
   * `ready` resolves with the first answer. Subscribing while offline sends it on open.
   */
  client.subscribe = (topic, handler, { onSubscribed, from } = {}) => {
    let entry = topics.get(topic);
    if (!entry) {
      let settle;
      const ready = new Promise((resolve) => { settle = resolve; });
      entry = {
        topic, handler, onSubscribed, epoch: from?.epoch ?? null, offset: from?.offset ?? 0,
        recovered: false, error: null, ready,
        _settle: (answer) => { settle(answer); },
        get position() {
          if (stock) return client.position(topic);
          return this.epoch === null ? null : { epoch: this.epoch, offset: this.offset };
        },
        unsubscribe: () => {
          topics.delete(topic);
          if (stock) stock.unsubscribe(topic);
          else if (client.state === "open") client.send(UNSUBSCRIBE, { topic });
        },
      };
      topics.set(topic, entry);
      for (const type of PUBLICATION_TYPES) track(type);
    }
    if (stock || client.state === "open") sendSubscribe(entry);
    return entry;
  };
  return client;
}
"""#
}
