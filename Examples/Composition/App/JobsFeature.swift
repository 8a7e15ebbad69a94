import WSKit

/// RPC: run a job of `steps` steps, reporting progress after each one (reply `RUN_JOB_RESPONSE`).
public struct RunJob: RPC {
    /// The job: how many steps, and its name.
    public struct Payload: Codable, Sendable {
        /// Number of steps (one progress frame per step but the last).
        @InRange(1...20) public var steps = 1
        /// The job's name.
        @Length(1...40) public var name = ""
        /// Creates a payload.
        public init(steps: Int = 1, name: String = "") {
            self.steps = steps
            self.name = name
        }
    }
    /// Progress and the final reply.
    public struct Response: Codable, Sendable, Equatable {
        /// The job's name; steps done; steps in all.
        public var name: String, done: Int, of: Int
        /// Creates a response.
        public init(name: String, done: Int, of: Int) {
            self.name = name
            self.done = done
            self.of = of
        }
    }
    /// The wire type.
    public static let type = "RUN_JOB"
}

/// Message: an admin-only reset of the caller's job counter.
public struct ResetJobs: Message {
    /// No payload.
    public typealias Payload = Empty
    /// The wire type.
    public static let type = "RESET_JOBS"
}

/// Per-handler middleware: only admins pass.
public let adminOnly = Middleware<Session, ExamplePlugins> { ctx, next in
    guard ctx.data.role == .admin else { throw WireError(code: .permissionDenied, message: "admins only") }
    try await next()
}

/// The jobs feature: its own router (with its own middleware), merged into the app.
public func jobsFeature() -> Router<Session, ExamplePlugins> {
    let router = Router<Session, ExamplePlugins>()
    router.rpc(RunJob.self) { ctx in
        ctx.assignData(\.jobsStarted, ctx.data.jobsStarted + 1)
        let steps = ctx.payload.steps
        for step in 1 ..< steps {
            try await ctx.clock.sleep(for: .milliseconds(5))
            ctx.progress(.init(name: ctx.payload.name, done: step, of: steps))
        }
        return .init(name: ctx.payload.name, done: steps, of: steps)
    }
    router.on(ResetJobs.self, use: [adminOnly]) { ctx in
        ctx.assignData(\.jobsStarted, 0)
    }
    return router
}
