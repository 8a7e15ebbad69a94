/// Why a router could not be composed or built: thrown by ``Router/merge(_:onConflict:)`` and
/// ``Router/build(plugins:options:clock:observers:)``, never at run time.
public struct RouterBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One composition problem.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// Two handlers for one message type (in one router, or across a merge with
        /// ``ConflictPolicy/error``).
        case duplicateType(String)
        /// A handler for a reserved type (`$…`, `__…`, `ERROR`, `RPC_ERROR`).
        case reservedType(String)
        /// A handler for a message whose `type` is empty.
        case emptyType
        /// An ``RPC`` type registered with `on` instead of the RPC plugin's `rpc`.
        case rpcRegisteredAsEvent(String)
        /// A plugin that a route or another plugin needs is not in the plugin set.
        case missingPlugin(String, requiredBy: String)
        /// The plugin set lists the same plugin type twice.
        case duplicatePlugin(String)
        /// Two plugins claim the same reserved inbound type.
        case reservedTypeClaimedTwice(String, by: String)
        /// A plugin's installation failed.
        case pluginFailed(String, String)

        /// A sentence describing the problem.
        public var description: String {
            switch self {
            case .duplicateType(let type): "a handler for \"\(type)\" is already registered"
            case .reservedType(let type): "\"\(type)\" is a reserved message type"
            case .emptyType: "a message type must not be empty"
            case .rpcRegisteredAsEvent(let type):
                "\"\(type)\" is an RPC: handle it with rpc(_:_:) (RPCPlugin), not on(_:_:)"
            case .missingPlugin(let plugin, let requiredBy):
                "\(requiredBy) requires the plugin \(plugin), which is not in the plugin set"
            case .duplicatePlugin(let plugin): "the plugin \(plugin) is installed twice"
            case .reservedTypeClaimedTwice(let type, let by):
                "\(by) claims the reserved type \"\(type)\", which another plugin already handles"
            case .pluginFailed(let plugin, let message): "the plugin \(plugin) failed to install: \(message)"
            }
        }
    }

    /// Every problem found (at least one).
    public var problems: [Problem]

    /// Creates an error.
    public init(problems: [Problem]) { self.problems = problems }

    /// The problems, one per line.
    public var description: String {
        "router build failed: " + problems.map(\.description).joined(separator: "; ")
    }
}
