import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// The plugin protocol: what plugins can add, and how a missing plugin is caught when the router
/// is built (a capability of a plugin that is not installed does not compile at all — see
/// ADR 0020).
@Suite struct PluginTests {
    /// Per-connection state of the counting plugin.
    final class Counter: Sendable {
        let log: EventLog
        init(log: EventLog) { self.log = log }
    }

    /// A plugin using every extension point: middleware, open/close hooks, per-connection state,
    /// a reserved type.
    struct CountingPlugin: RouterPlugin {
        let log: EventLog
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            let log = log
            installation.connectionState { Counter(log: log) }
            installation.onOpen { ctx in ctx.connection.state(Counter.self)?.log.append("plugin open") }
            installation.onClose { ctx in ctx.connection.state(Counter.self)?.log.append("plugin close \(ctx.code)") }
            installation.use(Middleware { ctx, next in
                ctx.connection.state(Counter.self)?.log.append("plugin middleware")
                try await next()
            })
            installation.handleReservedType("$ws:count") { message in
                message.connection.state(Counter.self)?.log.append("reserved \(message.envelope.type)")
            }
        }
    }

    /// Capability protocol of the counting plugin.
    protocol CountingInstalled: PluginSet { var counting: CountingPlugin { get } }

    struct CountingPlugins: CountingInstalled {
        var counting: CountingPlugin
    }

    @Test func pluginAddsMiddlewareHooksStateAndReservedTypes() async throws {
        let log = EventLog()
        let router = Router<Session, CountingPlugins>()
        router.onOpen { _ in log.append("app open") }
        router.onClose { _ in log.append("app close") }
        router.on(Ping.self) { ctx in ctx.note("handler") }
        let harness = try TestHarness(router, plugins: CountingPlugins(counting: CountingPlugin(log: log)))
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        await client.sendText(#"{"type":"$ws:count"}"#)
        await client.close(code: 1000)
        #expect(log.all == [
            "plugin open", "app open", "plugin middleware", "handler", "reserved $ws:count", "app close", "plugin close 1000",
        ])
        #expect(client.errors.isEmpty)
        try await harness.finish()
    }

    @Test func defaultPluginListIsTheStoredPluginsInOrder() {
        let plugins = AppPlugins()
        #expect(plugins.installedPlugins.map { type(of: $0).pluginName } == ["MessagingPlugin", "RPCPlugin"])
        #expect(NoPlugins().installedPlugins.isEmpty)
    }

    /// Claims RPC support (so `rpc` compiles) but leaves the plugin out of its install list.
    struct ForgetfulPlugins: RPCInstalled {
        var rpc: RPCPlugin { RPCPlugin() }
    }

    @Test func routeOfAPluginThatIsNotInstalledFailsTheBuild() {
        let router = Router<Session, ForgetfulPlugins>()
        router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: "x")) }
        #expect(throws: RouterBuildError(problems: [.missingPlugin("RPCPlugin", requiredBy: "the handler for \"GET_USER\"")])) {
            _ = try router.build(plugins: ForgetfulPlugins())
        }
    }

    @Test func rpcTypeRegisteredWithOnFailsTheBuild() {
        let router = Router<Session, AppPlugins>()
        router.on(GetUser.self) { _ in }
        #expect(throws: RouterBuildError(problems: [.rpcRegisteredAsEvent("GET_USER")])) {
            _ = try router.build(plugins: AppPlugins())
        }
    }

    struct NeedsMessaging: RouterPlugin {
        static var requiredPlugins: [any RouterPlugin.Type] { [MessagingPlugin.self] }
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {}
    }

    struct MissingDependency: PluginSet { var needs = NeedsMessaging() }
    struct SatisfiedDependency: PluginSet {
        var messaging = MessagingPlugin()
        var needs = NeedsMessaging()
    }

    @Test func requiredPluginsAreCheckedAtBuild() throws {
        #expect(throws: RouterBuildError(problems: [.missingPlugin("MessagingPlugin", requiredBy: "the plugin NeedsMessaging")])) {
            _ = try Router<Session, MissingDependency>().build(plugins: MissingDependency())
        }
        _ = try Router<Session, SatisfiedDependency>().build(plugins: SatisfiedDependency())
    }

    struct Twice: PluginSet {
        var first = MessagingPlugin()
        var second = MessagingPlugin()
    }

    @Test func aPluginInstalledTwiceFailsTheBuild() {
        #expect(throws: RouterBuildError(problems: [.duplicatePlugin("MessagingPlugin")])) {
            _ = try Router<Session, Twice>().build(plugins: Twice())
        }
    }

    struct BadRPC: RPCInstalled { var rpc = RPCPlugin(maxInFlightPerConnection: 0) }

    @Test func invalidPluginConfigurationFailsTheBuild() {
        #expect(throws: RouterBuildError(problems: [.pluginFailed("RPCPlugin", "maxInFlightPerConnection must be at least 1")])) {
            _ = try Router<Session, BadRPC>().build(plugins: BadRPC())
        }
    }

    struct Claimer: RouterPlugin {
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            installation.handleReservedType("$ws:abort") { _ in }
        }
    }

    struct ClashingPlugins: RPCInstalled {
        var rpc = RPCPlugin()
        var claimer = Claimer()
    }

    @Test func twoPluginsClaimingOneReservedTypeFailTheBuild() {
        #expect(throws: RouterBuildError(problems: [.reservedTypeClaimedTwice("$ws:abort", by: "Claimer")])) {
            _ = try Router<Session, ClashingPlugins>().build(plugins: ClashingPlugins())
        }
    }

    /// Per-connection state counting inbound frames.
    final class FrameCount: Sendable {
        let count = Atomic<Int>(0)
    }

    /// A plugin with an inbound-frame hook, as the heartbeat has.
    struct FrameCounting: RouterPlugin {
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            installation.connectionState { FrameCount() }
            installation.onInboundFrame(FrameCount.self) { state in state.count.add(1, ordering: .relaxed) }
        }
    }

    struct FrameCountingPlugins: PluginSet { var counting = FrameCounting() }

    @Test("an inbound-frame hook sees every data frame (valid or not) and the frames the host reports")
    func inboundFrameHookSeesEveryFrame() async throws {
        let router = Router<Session, FrameCountingPlugins>()
        router.on(Ping.self) { _ in }
        let harness = try TestHarness(router, plugins: FrameCountingPlugins())
        let client = await harness.connect(data: Session())
        let other = await harness.connect(data: Session())
        let count = { (connection: TestConnection<Session, FrameCountingPlugins>) in
            connection.connection.state(FrameCount.self)?.count.load(ordering: .relaxed)
        }
        try await client.send(Ping.self, .init(text: "x"))
        await client.sendText("not json")
        await client.sendBinary(Array(#"{"type":"PING","payload":{"text":"y"}}"#.utf8))
        client.connection.notePeerActivity()
        #expect(count(client) == 4)
        #expect(count(other) == 0)
        try await harness.finish()
    }

    /// A hook on state nobody declared.
    struct UndeclaredState: RouterPlugin {
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            installation.onInboundFrame(FrameCount.self) { _ in }
        }
    }

    struct UndeclaredStatePlugins: PluginSet { var undeclared = UndeclaredState() }

    @Test func inboundFrameHookWithoutItsStateFailsTheBuild() {
        #expect(throws: RouterBuildError.self) {
            _ = try Router<Session, UndeclaredStatePlugins>().build(plugins: UndeclaredStatePlugins())
        }
    }

    /// An event of a plugin's own type: the router carries it without knowing it.
    struct Audited: PluginEvent, Equatable {
        var type: String
        var payload: JSONValue?
        var clientId: String
    }

    /// A plugin that emits an event for every message, as pub/sub does for publishes.
    struct Auditor: RouterPlugin {
        func install<ConnectionData: Sendable, Plugins: PluginSet>(
            into installation: PluginInstallation<ConnectionData, Plugins>
        ) throws {
            installation.use(Middleware { ctx, next in
                ctx.connection.runtime.emit(Audited(type: ctx.messageType, payload: ctx.rawPayload, clientId: ctx.clientId))
                try await next()
            })
        }
    }

    struct AuditingPlugins: PluginSet { var auditor = Auditor() }

    @Test func harnessCapturesEventsEmittedByPlugins() async throws {
        let router = Router<Session, AuditingPlugins>()
        router.on(Ping.self) { _ in }
        let harness = try TestHarness(router, plugins: AuditingPlugins())
        let client = await harness.connect(data: Session(), clientId: "pub")
        try await client.send(Ping.self, .init(text: "x"))
        #expect(harness.pluginEvents(Audited.self) == [Audited(type: "PING", payload: ["text": "x"], clientId: "pub")])
        #expect(harness.pluginEvents.count == 1)
        harness.clearCaptures()
        #expect(harness.pluginEvents.isEmpty)
        try await harness.finish()
    }
}

/// A capability that exists only on contexts whose plugin set has the counting plugin.
extension RouterContext where Plugins: PluginTests.CountingInstalled {
    func note(_ text: String) {
        connection.state(PluginTests.Counter.self)?.log.append(text)
    }
}
