import WSKit

/// RPC: run a job of `steps` steps, reporting progress after each one (reply `RUN_JOB_RESPONSE`).
struct RunJob: RPC {
    struct Payload: Codable, Sendable {
        @InRange(1...20) var steps = 1
        @Length(1...40) var name = ""
    }
    struct Response: Codable, Sendable, Equatable { var name: String, done: Int, of: Int }
    static let type = "RUN_JOB"
}

/// Message: an admin-only reset of the caller's job counter.
struct ResetJobs: Message {
    typealias Payload = Empty
    static let type = "RESET_JOBS"
}

/// Per-handler middleware: only admins pass.
let adminOnly = Middleware<Session, ExamplePlugins> { ctx, next in
    guard ctx.data.role == .admin else { throw WireError(code: .permissionDenied, message: "admins only") }
    try await next()
}

/// The jobs feature: its own router (with its own middleware), merged into the app.
func jobsFeature() -> Router<Session, ExamplePlugins> {
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
