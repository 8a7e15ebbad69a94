// wskit-scaleout: one instance of a horizontally scaled chat — run several on different ports
// against one Redis, and a message published on any instance reaches the subscribers of every
// instance (Plugins/WSKitPubSubRedis, ADR 0050). The two-process proof in
// Tests/WSKitPubSubTests/ScaleOutTests.swift drives it.
//
//   wskit-scaleout --port N --redis-port P [--redis-host H] [--instance NAME] [--loops N]
//                  [--history PREFIX=SIZE]
//
// Protocol (WS-Kit envelopes): JOIN {topic} → JOINED {topic, instance}; SAY {topic, text,
// excludeSelf?} publishes CHAT {text, from, instance} to the topic and answers PUBLISHED {matched,
// instancesReached?, error?}. Connection ids are instance-independent: `?clientId=` (an
// application id, e.g. a device) or a UUID v7, echoed in the `x-client-id` response header — so
// `excludeSelf` excludes that id on every instance. `?name=` names the connection.
// `--history PREFIX=SIZE`: topics starting with PREFIX keep their last SIZE publications in Redis
// (docs/recovery.md), and clients subscribe themselves with `$ws:subscribe {topic, epoch?,
// offset?}` — the cross-process recovery proof in Tests/WSKitPubSubTests/RecoveryProofTests.swift.
//
// Prints `READY <port>` on standard output once Redis is connected and the port accepts.
import CWSKitShims
import Glibc
import WSKit
import WSKitPubSubRedis
import WSKitRedis

struct Visitor: Sendable {
    var name: String
}

struct Join: Message {
    struct Payload: Codable, Sendable { var topic: String }
    static let type = "JOIN"
}

struct Joined: Message {
    struct Payload: Codable, Sendable {
        var topic: String
        var instance: String
    }
    static let type = "JOINED"
}

struct Say: Message {
    struct Payload: Codable, Sendable {
        var topic: String
        var text: String
        var excludeSelf: Bool?
    }
    static let type = "SAY"
}

struct Chat: Message {
    struct Payload: Codable, Sendable {
        var text: String
        var from: String
        var instance: String
    }
    static let type = "CHAT"
}

struct Published: Message {
    struct Payload: Codable, Sendable {
        var matched: Int?
        var instancesReached: Int?
        var error: String?
    }
    static let type = "PUBLISHED"
}

/// Messaging and pub/sub through Redis.
///
/// Rate limiting shared by the instances belongs here too: a `RateLimitPlugin` with the Redis
/// limiter of `WSKitRateLimitRedis` (its own two-process proof is
/// `Tests/WSKitRateLimitRedisTests/SharedLimitTests.swift`).
struct ScaleOutPlugins: MessagingInstalled, PubSubInstalled {
    var messaging = MessagingPlugin()
    var pubsub: PubSubPlugin
}

struct Options {
    var port = 9001
    var redisHost = "127.0.0.1"
    var redisPort = 6379
    var instance = "instance"
    var loops = 1
    var history: HistoryRule?

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw UsageError(message: "\(flag) needs a value") }
            return value
        }
        while let argument = iterator.next() {
            switch argument {
            case "--port": port = Int(try value(argument)) ?? -1
            case "--redis-port": redisPort = Int(try value(argument)) ?? -1
            case "--redis-host": redisHost = try value(argument)
            case "--instance": instance = try value(argument)
            case "--loops": loops = Int(try value(argument)) ?? -1
            case "--history":
                let rule = try value(argument)
                guard let equals = rule.lastIndex(of: "="), let size = Int(rule[rule.index(after: equals)...]), size > 0 else {
                    throw UsageError(message: "--history takes PREFIX=SIZE (a positive size)")
                }
                history = HistoryRule(prefix: String(rule[..<equals]), size: size)
            default:
                throw UsageError(message: "usage: wskit-scaleout --port N --redis-port P [--redis-host H] [--instance NAME] [--loops N] [--history PREFIX=SIZE]")
            }
        }
        guard port > 0, redisPort > 0, loops > 0 else { throw UsageError(message: "ports and --loops must be positive numbers") }
    }
}

struct UsageError: Error { let message: String }

func output(_ line: String, to fd: Int32 = 1) {
    var text = line + "\n"
    text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

func makeRouter(instance: String) -> Router<Visitor, ScaleOutPlugins> {
    let router = Router<Visitor, ScaleOutPlugins>()
    router.on(Join.self) { ctx in
        do throws(PubSubError) {
            try await ctx.topics.subscribe(ctx.payload.topic)
            ctx.send(Joined.self, .init(topic: ctx.payload.topic, instance: instance))
        } catch {
            ctx.error(error.wireError)
        }
    }
    router.on(Say.self) { ctx in
        let result = await ctx.publish(
            Chat.self, .init(text: ctx.payload.text, from: ctx.data.name, instance: instance), to: ctx.payload.topic,
            options: PublishOptions(exclude: ctx.payload.excludeSelf == true ? .sender : .nobody))
        ctx.send(Published.self, .init(
            matched: result.matched, instancesReached: result.receipt?.instancesReached, error: result.error?.code.rawValue))
    }
    return router
}

do {
    let options = try Options(CommandLine.arguments)
    let redis = RedisConfiguration(host: options.redisHost, port: options.redisPort)
    let plugins = ScaleOutPlugins(pubsub: PubSubPlugin(
        adapter: RedisPubSubAdapter(configuration: redis),
        onAdapterEvent: { event in output("[\(options.instance)] \(event)", to: 2) },
        history: options.history.map { [$0] } ?? [], clientSubscriptions: options.history != nil))
    let runtime = try makeRouter(instance: options.instance).build(plugins: plugins)
    guard await runtime.pubsub.ready(timeout: .seconds(10)) else {
        output("wskit-scaleout: Redis at \(options.redisHost):\(options.redisPort) is not reachable", to: 2)
        exit(1)
    }
    var configuration = ServerConfiguration(port: options.port, loopCount: options.loops)
    configuration.logger = NoLogger()
    let server = WebSocketServer(configuration: configuration, router: runtime) { request in
        let clientId = request.head.queryValue("clientId") ?? UUIDv7.make()
        var headers = HTTPHeaders()
        headers.add(name: "x-client-id", value: clientId)
        return .accept(Visitor(name: request.head.queryValue("name") ?? "anonymous"), headers: headers)
    }
    // SIGINT/SIGTERM → graceful shutdown (what `server.run()` does, with a READY line once the
    // port accepts connections).
    let signals = cwskit_shutdown_signal_fd()
    try server.start()
    output("READY \(server.port)")
    _ = cwskit_wait_readable(signals, -1)
    server.shutdown()
    await runtime.pubsub.shutdown()
} catch let error as UsageError {
    output(error.message, to: 2)
    exit(2)
} catch {
    output("wskit-scaleout: \(error)", to: 2)
    exit(1)
}
