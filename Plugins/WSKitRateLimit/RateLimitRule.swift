import WSKitContract
import WSKitRouter

/// One rate limit: a limiter, a key function and a cost function — what the plugin installs for
/// every routed message and what ``Middleware/rateLimit(_:key:cost:onLimited:)`` adds to chosen
/// routes. Shared by both.
public struct RateLimitRule<ConnectionData: Sendable>: Sendable {
    /// The buckets.
    public var limiter: any RateLimiter
    /// Which bucket a message is counted in.
    public var key: RateLimitKey<ConnectionData>
    /// What a message costs when its type has no declared cost (``costs``). `0` lets it through
    /// without touching the limiter; a negative cost is an application bug (answered `INTERNAL`).
    public var cost: @Sendable (RateLimitRequest<ConnectionData>) -> Int
    /// Costs declared by message type (``RateLimitCost``), by wire type. They win over ``cost``.
    public var costs: [String: Int]
    /// Called for every message stopped (after the answer was sent).
    public var onLimited: (@Sendable (RateLimitEvent) -> Void)?
    /// The retry delay of the `UNAVAILABLE` answer when the limiter fails closed (sent as the
    /// wire's `retryAfterMs`, in whole milliseconds).
    public var unavailableRetryAfter: Duration

    /// Creates a rule.
    public init(
        limiter: any RateLimiter,
        key: RateLimitKey<ConnectionData> = .perUserPerType,
        costs: [RateLimitCost] = [],
        cost: @escaping @Sendable (RateLimitRequest<ConnectionData>) -> Int = { _ in 1 },
        onLimited: (@Sendable (RateLimitEvent) -> Void)? = nil,
        unavailableRetryAfter: Duration = .seconds(1)
    ) {
        self.limiter = limiter
        self.key = key
        self.cost = cost
        self.costs = Dictionary(costs.map { ($0.type, $0.cost) }, uniquingKeysWith: { _, last in last })
        self.onLimited = onLimited
        self.unavailableRetryAfter = unavailableRetryAfter
    }

    /// Checks the message of `ctx`: continues with `next` when it may pass; otherwise answers it
    /// (`RESOURCE_EXHAUSTED` + `retryAfterMs`, `FAILED_PRECONDITION`, `UNAVAILABLE` or `INTERNAL`
    /// — correlated `RPC_ERROR` for an RPC, `ERROR` otherwise) and stops: the handler does not run.
    public func check<Plugins: PluginSet>(_ ctx: MiddlewareContext<ConnectionData, Plugins>, next: Next) async throws {
        let request = RateLimitRequest(
            clientId: ctx.clientId, type: ctx.messageType, isRPC: ctx.isRPC, data: ctx.data, meta: ctx.meta,
            payload: ctx.rawPayload)
        let cost = costs.isEmpty ? cost(request) : (costs[request.type] ?? cost(request))
        if cost == 0 {
            try await next()
            return
        }
        if cost < 0 {
            let failure = RateLimitFailure.negativeCost(type: request.type, cost: cost)
            let wire = failure.wireError
            report(failure, sent: wire, ctx)
            ctx.error(wire)
            return
        }
        let key = key.make(request)
        let capacity = limiter.policy.capacity
        let decision: RateLimitDecision
        if cost > capacity {
            decision = .exceedsCapacity(remaining: 0)
        } else {
            do {
                decision = try await limiter.consume(key, cost: cost, nowMs: ctx.clock.nowMs)
            } catch {
                let failure = RateLimitFailure.limiterUnavailable(type: request.type, error)
                let wire = failure.wireError(unavailableRetryAfter: unavailableRetryAfter)
                report(failure, sent: wire, ctx)
                ctx.error(wire)
                notify(request, key: key, cost: cost, capacity: capacity, remaining: 0,
                       reason: .limiterUnavailable(error.description))
                return
            }
        }
        switch decision {
        case .allowed:
            try await next()
        case .denied(let remaining, let retryAfterMs):
            ctx.error(WireError(
                code: .resourceExhausted, message: "Rate limit exceeded",
                details: ["cost": .number(Double(cost)), "capacity": .number(Double(capacity)),
                          "remaining": .number(Double(remaining))],
                retryable: true, retryAfterMs: retryAfterMs))
            notify(request, key: key, cost: cost, capacity: capacity, remaining: remaining,
                   reason: .limited(retryAfterMs: retryAfterMs))
        case .exceedsCapacity(let remaining):
            ctx.error(WireError(
                code: .failedPrecondition, message: "Operation cost exceeds capacity",
                details: ["cost": .number(Double(cost)), "capacity": .number(Double(capacity))]))
            notify(request, key: key, cost: cost, capacity: capacity, remaining: remaining, reason: .exceedsCapacity)
        }
    }

    private func notify(
        _ request: RateLimitRequest<ConnectionData>, key: String, cost: Int, capacity: Int, remaining: Int,
        reason: RateLimitEvent.Reason
    ) {
        onLimited?(RateLimitEvent(
            clientId: request.clientId, type: request.type, key: key, cost: cost, capacity: capacity,
            remaining: remaining, reason: reason))
    }

    private func report<Plugins: PluginSet>(_ failure: RateLimitFailure, sent: WireError, _ ctx: MiddlewareContext<ConnectionData, Plugins>) {
        ctx.connection.report(RouterErrorEvent(
            phase: .plugin, error: failure, clientId: ctx.clientId, messageType: ctx.messageType,
            correlationId: ctx.correlationId, sentToClient: sent))
    }
}
