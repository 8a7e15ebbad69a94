import Synchronization
import WSKitContract

/// One connection hosted by a router: what the host drives (``receive(text:)``,
/// ``receive(binary:)``, ``didClose(code:reason:)``) and what contexts reach (typed data, the
/// plugin set).
///
/// Created by ``RouterRuntime/open(_:data:)``. The host calls the three entry points from one
/// thread at a time (its event loop), never concurrently for one connection.
public final class RouterConnection<ConnectionData: Sendable, Plugins: PluginSet>: ConnectionCore, @unchecked Sendable {
    /// The router running this connection.
    public let runtime: RouterRuntime<ConnectionData, Plugins>

    let storage: Mutex<ConnectionData>
    let lifecycle = Mutex(ConnectionLifecycle.opening(backlog: [], closeReport: nil))
    let decision = OpenDecisionBox()

    init(
        runtime: RouterRuntime<ConnectionData, Plugins>, transport: any RouterTransport, data: ConnectionData,
        clientId: String, pluginStates: [(ObjectIdentifier, any AnyObject & Sendable)]
    ) {
        self.runtime = runtime
        storage = Mutex(data)
        super.init(
            clientId: clientId, transport: transport, clock: runtime.clock, options: runtime.options,
            pluginStates: pluginStates, routerStates: runtime.routerStates,
            inboundFrameHook: InboundFrameHookBinding.combine(runtime.inboundFrameHooks, states: pluginStates),
            reporter: { [weak runtime] event in runtime?.report(event) }, tracker: runtime.tracker)
    }

    // MARK: Data

    /// A snapshot of the connection's data.
    public var data: ConnectionData { storage.withLock { $0 } }

    /// Replaces the connection's data.
    public func assignData(_ data: ConnectionData) { storage.withLock { $0 = data } }

    /// Mutates the connection's data atomically and returns what `body` returns.
    public func updateData<Result: Sendable, Failure: Error>(
        _ body: (inout ConnectionData) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withLock { (value: inout ConnectionData) throws(Failure) -> Result in try body(&value) }
    }

    // MARK: Host entry points

    /// Dispatches one inbound text frame (UTF-8 JSON). `bytes` is borrowed: the router parses it
    /// before returning (or copies it while `onOpen` hooks are still running).
    ///
    /// Invalid frames are answered with `ERROR`/`RPC_ERROR` and the connection stays open;
    /// handlers start synchronously on the calling thread (ADR 0021).
    public func receive(text bytes: UnsafeRawBufferPointer) {
        notePeerActivity()
        let action = lifecycle.withLock { state -> ReceiveAction in
            switch state {
            case .open:
                return .dispatch
            case .opening(var backlog, let closeReport):
                if closeReport != nil { return .ignore }
                if backlog.count >= options.maxFramesWhileOpening { return .overflow }
                state = .closed // release the backlog's storage while mutating it
                backlog.append(Array(bytes))
                state = .opening(backlog: backlog, closeReport: nil)
                return .queued
            case .closed:
                return .ignore
            }
        }
        switch action {
        case .dispatch: runtime.dispatcher.dispatch(bytes, on: self)
        case .overflow:
            let limit = options.maxFramesWhileOpening
            let error = WireError(code: .resourceExhausted, message: "Too many messages before the connection opened")
            report(.dispatch, RouterFailure.openBacklogFull(limit: limit), exchange: nil, sent: error)
            sendError(error, correlationId: nil)
        case .queued, .ignore: break
        }
    }

    /// Dispatches one inbound binary frame: it must carry the same UTF-8 JSON envelope as a text
    /// frame (see `docs/wire-protocol.md`).
    public func receive(binary bytes: UnsafeRawBufferPointer) {
        receive(text: bytes)
    }

    /// Dispatches one inbound text frame held in a byte array.
    public func receive(text bytes: [UInt8]) {
        bytes.withUnsafeBytes { receive(text: $0) }
    }

    /// Reports that the connection has closed (peer close, socket error, or the end of a close
    /// the router asked for). Running handlers are cancelled at once, then `onClose` hooks run
    /// (for connections whose `onOpen` completed). Idempotent.
    public func didClose(code: UInt16, reason: String) {
        let runHooks = lifecycle.withLock { state -> Bool in
            switch state {
            case .open:
                state = .closed
                return true
            case .opening(_, nil):
                state = .opening(backlog: [], closeReport: (code, reason))
                return false
            case .opening, .closed:
                return false
            }
        }
        shutDown()
        if runHooks { runtime.runClose(self, code: code, reason: reason) }
    }

    /// Reports that the host has written the whole backlog that built up after a send returned
    /// ``SendResult/buffered``: the connection can take more. Runs the `onDrain` hooks (only once
    /// the connection is open).
    public func didDrain() {
        let hooks = runtime.drainHooks
        guard !hooks.isEmpty, lifecycle.withLock({ if case .open = $0 { true } else { false } }) else { return }
        let context = ConnectionContext(self)
        for hook in hooks { hook(context) }
    }

    /// The outcome of the open hooks, once they have run.
    public var openDecision: OpenDecision {
        get async { await decision.value() }
    }

    /// The outcome of the open hooks, or `nil` while they run.
    public var currentOpenDecision: OpenDecision? { decision.current }

}

/// Where a connection is in its life (not generic, so the per-frame check is concrete code).
enum ConnectionLifecycle {
    /// Open hooks are running; frames wait in the backlog; a close reported meanwhile waits for
    /// the hooks to end.
    case opening(backlog: [[UInt8]], closeReport: (code: UInt16, reason: String)?)
    case open
    case closed
}

/// What `receive` does with a frame.
enum ReceiveAction { case dispatch, queued, overflow, ignore }

/// An `OpenDecision` that can be awaited before it is known.
final class OpenDecisionBox: Sendable {
    private struct State {
        var value: OpenDecision?
        var waiters: [CheckedContinuation<OpenDecision, Never>] = []
    }

    private let state = Mutex(State())

    var current: OpenDecision? { state.withLock { $0.value } }

    func resolve(_ decision: OpenDecision) {
        let waiters = state.withLock { state -> [CheckedContinuation<OpenDecision, Never>] in
            if state.value != nil { return [] }
            state.value = decision
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: decision) }
    }

    func value() async -> OpenDecision {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> OpenDecision? in
                if let value = state.value { return value }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
