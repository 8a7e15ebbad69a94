import WSKitContract

/// An `onOpen` hook: runs when a connection opens; throw ``ConnectionRefusal`` to refuse it.
public typealias OpenHook<ConnectionData: Sendable, Plugins: PluginSet> =
    @Sendable (OpenContext<ConnectionData, Plugins>) async throws -> Void

/// An `onClose` hook: runs once when an accepted connection has closed; errors are reported.
public typealias CloseHook<ConnectionData: Sendable, Plugins: PluginSet> =
    @Sendable (CloseContext<ConnectionData, Plugins>) async throws -> Void

/// An `onDrain` hook: runs when a connection whose earlier send returned ``SendResult/buffered``
/// has written its whole backlog and can take more. Runs synchronously on the host's thread (the
/// connection's event loop); keep it short — typically it sends what was held back.
public typealias DrainHook<ConnectionData: Sendable, Plugins: PluginSet> =
    @Sendable (ConnectionContext<ConnectionData, Plugins>) -> Void

/// An `onError` hook: sees every error the router reports (see ``RouterErrorEvent``). Runs
/// synchronously on the thread that reports; keep it short.
public typealias ErrorHook = @Sendable (RouterErrorEvent) -> Void

/// A typed message handler.
public typealias MessageHandler<M: Message, ConnectionData: Sendable, Plugins: PluginSet> =
    @Sendable (MessageContext<M, ConnectionData, Plugins>) async throws -> Void

/// A typed message handler that does not suspend. Registered with the same APIs as an async
/// ``MessageHandler`` (a closure without `await` picks this overload); when its route has no
/// middleware it runs inline on the thread that received the message, with no task (ADR 0021).
public typealias SyncMessageHandler<M: Message, ConnectionData: Sendable, Plugins: PluginSet> =
    @Sendable (MessageContext<M, ConnectionData, Plugins>) throws -> Void
