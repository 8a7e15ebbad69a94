import WSKitRouter

extension Middleware {
    /// Rate limiting as middleware, for chosen routes or with its own place in the global chain:
    ///
    /// ```swift
    /// let uploads = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 0.2))
    /// router.on(Upload.self, use: [.rateLimit(uploads, key: .perUser)]) { ctx in … }
    /// ```
    /// Same answers and rules as ``RateLimitPlugin`` (which runs before all application
    /// middleware).
    public static func rateLimit(
        _ limiter: any RateLimiter,
        key: RateLimitKey<ConnectionData> = .perUserPerType,
        cost: @escaping @Sendable (RateLimitRequest<ConnectionData>) -> Int = { _ in 1 },
        onLimited: (@Sendable (RateLimitEvent) -> Void)? = nil
    ) -> Middleware {
        rateLimit(RateLimitRule(limiter: limiter, key: key, cost: cost, onLimited: onLimited))
    }

    /// Rate limiting by a rule, as middleware.
    public static func rateLimit(_ rule: RateLimitRule<ConnectionData>) -> Middleware {
        Middleware { ctx, next in try await rule.check(ctx, next: next) }
    }
}
