import Testing
import WSKit
import WSKitLiveFixtures
@testable import WSKitCompositionApp

/// The composition example (two merged feature routers, middleware, typed data from the upgrade
/// hook, RPC with progress, validation) driven over real sockets.
@Suite("Composition example over real sockets")
struct CompositionExampleTests {
    static func withExample(_ body: (Int, Recorder<String>) throws -> Void) throws {
        let log = Recorder<String>()
        let server = WebSocketServer(configuration: testConfiguration(), router: try makeApp(log: { log.append($0) }), upgrade: authenticate)
        try server.start()
        defer { server.shutdown() }
        try body(server.port, log)
    }

    /// How long a read waits for the server. The example's handlers sleep on the system clock,
    /// whose timers run on the shared cooperative pool: with other tests running in parallel on
    /// two cores a few milliseconds of sleep can take seconds, so 5 s is too tight. Still bounded,
    /// so a frame that never comes fails the test.
    static let readTimeout: Double = 30

    static func json(_ client: RawClient) throws -> JSONValue {
        try client.readFrame().payload.withUnsafeBytes { try JSON.parse($0) }
    }

    @Test("the upgrade hook refuses a missing token and types the session from a good one")
    func authentication() async throws {
        try await runBlocking {
            try Self.withExample { port, log in
                #expect(try RawClient(port: port).handshake(path: "/").hasPrefix("HTTP/1.1 401"))
                let client = try RawClient.upgraded(port: port, path: "/?token=ada:admin", timeout: Self.readTimeout)
                client.sendText(#"{"type":"GET_PROFILE","meta":{"correlationId":"p"}}"#)
                let profile = try Self.json(client)
                #expect(profile["type"]?.stringValue == "PROFILE")
                #expect(profile["payload"]?["role"]?.stringValue == "admin")
                #expect(log.wait { $0.contains("open ada") && $0.contains("ada → GET_PROFILE") })
            }
        }
    }

    @Test("a merged feature's RPC streams progress then its result; invalid input is INVALID_ARGUMENT with a path")
    func jobsWithProgressAndValidation() async throws {
        try await runBlocking {
            try Self.withExample { port, _ in
                let client = try RawClient.upgraded(port: port, path: "/?token=bob:member", timeout: Self.readTimeout)
                client.sendText(#"{"type":"RUN_JOB","meta":{"correlationId":"j1"},"payload":{"steps":3,"name":"build"}}"#)
                var done: [Int] = []
                while true {
                    let frame = try Self.json(client)
                    done.append(frame["payload"]?["done"]?.intValue ?? -1)
                    if frame["type"]?.stringValue == "RUN_JOB_RESPONSE" { break }
                    #expect(frame["type"]?.stringValue == "$ws:rpc-progress")
                }
                #expect(done == [1, 2, 3])

                client.sendText(#"{"type":"RUN_JOB","meta":{"correlationId":"j2"},"payload":{"steps":99,"name":""}}"#)
                let error = try Self.json(client)
                #expect(error["type"]?.stringValue == "RPC_ERROR")
                #expect(error["payload"]?["code"]?.stringValue == "INVALID_ARGUMENT")
                let paths = error["payload"]?["details"]?["issues"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
                #expect(paths.contains { $0.hasSuffix("steps") } && paths.contains { $0.hasSuffix("name") }, "\(error)")
            }
        }
    }

    @Test("per-handler middleware short-circuits a non-admin; the session keeps data assigned by handlers")
    func middlewareAndTypedData() async throws {
        try await runBlocking {
            try Self.withExample { port, _ in
                let member = try RawClient.upgraded(port: port, path: "/?token=eve:member", timeout: Self.readTimeout)
                member.sendText(#"{"type":"RESET_JOBS"}"#)
                let denied = try Self.json(member)
                #expect(denied["type"]?.stringValue == "ERROR")
                #expect(denied["payload"]?["code"]?.stringValue == "PERMISSION_DENIED")

                member.sendText(#"{"type":"RENAME","payload":{"displayName":"Eve E"}}"#)
                #expect(try Self.json(member)["payload"]?["displayName"]?.stringValue == "Eve E")
                member.sendText(#"{"type":"GET_PROFILE","meta":{"correlationId":"p2"}}"#)
                #expect(try Self.json(member)["payload"]?["displayName"]?.stringValue == "Eve E")
            }
        }
    }
}
