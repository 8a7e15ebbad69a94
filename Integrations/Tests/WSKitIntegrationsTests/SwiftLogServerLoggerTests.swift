import Logging
import Synchronization
import Testing
import WSKit
import WSKitRouter
import WSKitServer
import WSKitSwiftLog

/// A swift-log backend that keeps every record.
final class CapturingLogHandler: LogHandler, Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let records = Mutex<[Record]>([])
    private let level = Mutex<Logger.Level>(.info)
    private let storedMetadata = Mutex<Logger.Metadata>([:])

    var logLevel: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
    var metadata: Logger.Metadata {
        get { storedMetadata.withLock { $0 } }
        set { storedMetadata.withLock { $0 = newValue } }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (key, value) in event.metadata ?? [:] { flat[key] = "\(value)" }
        records.withLock { $0.append(Record(level: event.level, message: "\(event.message)", metadata: flat)) }
    }
}

@Suite("swift-log bridge: the server's records reach a swift-log Logger")
struct SwiftLogServerLoggerTests {
    @Test("levels map one to one, metadata carries over, records below the logger's level are not built")
    func records() {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "wskit-test") { _ in handler }
        logger.logLevel = .info
        let bridge = SwiftLogServerLogger(logger)
        #expect(bridge.minimumLevel == .info)
        var built = 0
        bridge(.debug, { built += 1; return "hidden" }())
        bridge(.warning, "closing a connection", ["id": "42", "code": "1009"])
        #expect(built == 0)
        let records = handler.records.withLock { $0 }
        #expect(records.count == 1)
        #expect(records.first?.level == .warning)
        #expect(records.first?.message == "closing a connection")
        #expect(records.first?.metadata == ["id": "42", "code": "1009"])
    }

    @Test("every WSKit level round-trips through swift-log's")
    func levels() {
        for level in [WSKitServer.LogLevel.trace, .debug, .info, .notice, .warning, .error, .critical] {
            #expect(SwiftLogServerLogger.wskitLevel(SwiftLogServerLogger.swiftLogLevel(level)) == level)
        }
    }
}

struct Greeting: Message {
    struct Payload: Codable, Sendable { var text: String }
    static let type = "GREETING"
}

@Suite("swift-log bridge: router errors as records with structured metadata")
struct SwiftLogRouterObserverTests {
    @Test("an unknown type and a bad RPC payload are logged with client id, type, correlation id and code")
    func routerErrors() async throws {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "wskit-router") { _ in handler }
        logger.logLevel = .info
        let router = Router<Void, NoPlugins>()
        router.on(Greeting.self) { _ in }
        let runtime = try router.build(observers: [SwiftLogRouterObserver(logger)])
        let connection = runtime.open(SilentTransport(), data: ())
        for frame in [#"{"type":"NOPE","meta":{"correlationId":"r1"}}"#, #"{"type":"GREETING","payload":{"text":3}}"#] {
            Array(frame.utf8).withUnsafeBytes { connection.receive(text: $0) }
        }
        let records = handler.records.withLock { $0 }
        #expect(records.count == 2)
        #expect(records.first?.level == .warning)
        #expect(records.first?.metadata["clientId"] == "c-7")
        #expect(records.first?.metadata["messageType"] == "NOPE")
        #expect(records.first?.metadata["correlationId"] == "r1")
        #expect(records.first?.metadata["code"] == "UNIMPLEMENTED")
        #expect(records.last?.metadata["messageType"] == "GREETING")
        #expect(records.last?.metadata["phase"] == "validation")
    }
}

/// A host that takes every frame and drops it.
final class SilentTransport: RouterTransport {
    var clientId: String? { "c-7" }
    func send(text bytes: UnsafeRawBufferPointer) -> SendResult { .sent }
    func close(code: UInt16, reason: String) {}
}
