import Glibc
import Testing
import WSKitContract
import WSKitLiveFixtures

/// The proof of scale-out: two `wskit-scaleout` processes on different ports share one Redis;
/// clients connected to each see what is published on the other, and `excludeSelf` holds across
/// them (by connection id).
///
/// Rate limiting shared by the processes is the rate-limit plugin's proof
/// (`Tests/WSKitRateLimitRedisTests/SharedLimitTests.swift`); adding its plugin to
/// `wskit-scaleout`'s plugin set (see `Examples/ScaleOut/main.swift`) is where both meet.
@Suite(.serialized) struct ScaleOutTests {
    /// A client with a short read timeout, so "nothing arrives" is checked quickly.
    final class Client: @unchecked Sendable {
        let raw: RawClient
        let clientId: String

        init(port: Int, query: String) throws {
            raw = try RawClient(port: port, timeout: 0.25)
            let response = try raw.handshake(path: "/?\(query)")
            guard response.hasPrefix("HTTP/1.1 101") else { throw RawClient.ClientError.badResponse(response) }
            let header = response.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-client-id:") }
            clientId = header.map { String($0.dropFirst("x-client-id:".count).drop { $0 == " " }) } ?? ""
        }

        func send(_ json: String) { raw.sendText(json) }

        /// The next frame, waiting up to `seconds`.
        func next(within seconds: Double = 10) throws -> JSONValue {
            let deadline = monotonicSeconds() + seconds
            while true {
                do {
                    return try raw.readFrame().payload.withUnsafeBytes { try JSON.parse($0) }
                } catch RawClient.ClientError.timeout where monotonicSeconds() < deadline {
                    continue
                }
            }
        }
    }

    /// Starts `wskit-scaleout` instance `name` on a free port and waits for its `READY <port>` line.
    static func instance(_ name: String, redisPort: Int) async throws -> (ChildProcess, Int) {
        let port = freePort()
        let process = try ChildProcess(
            try builtExecutable("wskit-scaleout"),
            ["--port", "\(port)", "--redis-port", "\(redisPort)", "--instance", name, "--loops", "2"])
        try await process.waitForLine("READY \(port)") { $0.contains("READY \(port)") }
        return (process, port)
    }

    @Test func aPublishOnOneProcessReachesSubscribersOnTheOtherAndExcludeSelfHolds() async throws {
        let redis = try await RedisServerProcess()
        let (processA, portA) = try await Self.instance("a", redisPort: redis.port)
        let (processB, portB) = try await Self.instance("b", redisPort: redis.port)
        defer {
            processA.terminate()
            processB.terminate()
        }
        try await runBlocking {
            let ada = try Client(port: portA, query: "name=ada")
            let amy = try Client(port: portA, query: "name=amy")
            let bob = try Client(port: portB, query: "name=bob")
            let ben = try Client(port: portB, query: "name=ben")
            // One device connected to both instances under its own id.
            let deviceOnA = try Client(port: portA, query: "name=dev&clientId=device-7")
            let deviceOnB = try Client(port: portB, query: "name=dev&clientId=device-7")
            #expect(deviceOnA.clientId == "device-7" && deviceOnB.clientId == "device-7")
            #expect(ada.clientId.count == 36 && ada.clientId != bob.clientId)
            let everyone = [ada, amy, bob, ben, deviceOnA, deviceOnB]
            for client in everyone {
                client.send(#"{"type":"JOIN","payload":{"topic":"room"}}"#)
                #expect(try client.next()["type"]?.stringValue == "JOINED")
            }

            // Published on A, excluding the publisher: every other subscriber, on both instances.
            ada.send(#"{"type":"SAY","payload":{"topic":"room","text":"hello","excludeSelf":true}}"#)
            let receipt = try ada.next()
            #expect(receipt["type"]?.stringValue == "PUBLISHED")
            #expect(receipt["payload"]?["matched"]?.doubleValue == 2)            // amy and the device on A
            #expect(receipt["payload"]?["instancesReached"]?.doubleValue == 2)   // both instances
            for client in [amy, bob, ben, deviceOnA, deviceOnB] {
                let chat = try client.next()
                #expect(chat["type"]?.stringValue == "CHAT")
                #expect(chat["payload"]?["text"]?.stringValue == "hello")
                #expect(chat["payload"]?["from"]?.stringValue == "ada")
                #expect(chat["payload"]?["instance"]?.stringValue == "a")
            }

            // Published on B by the device, excluding itself: its connection on A is excluded too.
            deviceOnB.send(#"{"type":"SAY","payload":{"topic":"room","text":"from device","excludeSelf":true}}"#)
            #expect(try deviceOnB.next()["payload"]?["matched"]?.doubleValue == 2)   // bob and ben
            for client in [ada, amy, bob, ben] {
                #expect(try client.next()["payload"]?["text"]?.stringValue == "from device")
            }

            // Published on B including the sender: everyone, bob too. Bob's own copy comes back
            // through Redis and may overtake the PUBLISHED answer (another Redis connection).
            bob.send(#"{"type":"SAY","payload":{"topic":"room","text":"all"}}"#)
            let bobFrames = try [bob.next(), bob.next()]
            #expect(Set(bobFrames.compactMap { $0["type"]?.stringValue }) == ["PUBLISHED", "CHAT"])
            #expect(bobFrames.contains { $0["payload"]?["text"]?.stringValue == "all" })
            for client in everyone where client !== bob {
                #expect(try client.next()["payload"]?["text"]?.stringValue == "all")
            }
            // Nothing else arrived: neither the excluded connections' copies nor duplicates (what
            // each got next was "all", published after them by the same kind of path).
            for client in everyone {
                #expect(throws: RawClient.ClientError.self) { try client.raw.readFrame() }
            }
        }
        _ = redis
    }
}
