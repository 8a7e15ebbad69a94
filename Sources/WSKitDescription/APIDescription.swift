import WSKitContract
import WSKitRouter
import WSKitValidation

/// What an application speaks on the wire, derived from its built router and the pushes it
/// declares: every message a client may send, every RPC (request, response, progress) and every
/// server push, each with the structure and constraints of its payload.
///
/// ```swift
/// let description = APIDescription(
///     title: "Chat", version: "1.0.0", router: router, pushes: [NewMessage.self, UserJoined.self])
/// let json = AsyncAPIDocument(description).json()
/// ```
public struct APIDescription: Sendable {
    /// The application's name (AsyncAPI `info.title`).
    public var title: String
    /// The application's version (AsyncAPI `info.version`).
    public var version: String
    /// Messages clients send without expecting an answer (event routes), in registration order.
    public var events: [MessageDescription]
    /// RPCs, in registration order.
    public var rpcs: [RPCDescription]
    /// Messages the server pushes, in declaration order.
    public var pushes: [MessageDescription]

    /// Describes `router`'s routes and the declared `pushes`.
    public init<Data: Sendable, Plugins: PluginSet>(
        title: String, version: String, router: Router<Data, Plugins>, pushes: [any Message.Type] = []
    ) {
        self.init(title: title, version: version, routes: router.routes, pushes: pushes)
    }

    /// Describes the given routes and pushes (a contract declared without a router).
    public init(title: String, version: String, routes: [RegisteredRoute], pushes: [any Message.Type] = []) {
        self.title = title
        self.version = version
        var events: [MessageDescription] = []
        var rpcs: [RPCDescription] = []
        for route in routes {
            if route.kind == .rpc, let rpc = route.message as? any RPC.Type {
                rpcs.append(RPCDescription(rpc))
            } else {
                events.append(MessageDescription(route.message))
            }
        }
        self.events = events
        self.rpcs = rpcs
        self.pushes = pushes.map { MessageDescription($0) }
    }

    /// Every message type described (events, RPC requests and responses, pushes).
    public var allTypes: [String] {
        events.map(\.type) + rpcs.flatMap { [$0.request.type, $0.response.type] } + pushes.map(\.type)
    }
}

/// One message type: its wire type and payload.
public struct MessageDescription: Sendable, Hashable {
    /// The envelope's `type`.
    public var type: String
    /// The Swift type's name.
    public var swiftName: String
    /// The payload's shape (``PayloadShape/empty`` for `Empty`; any JSON when the validator
    /// cannot describe itself).
    public var payload: PayloadShape
    /// Whether the message carries a payload at all.
    public var hasPayload: Bool
    /// Meta keys the message accepts beyond the standard ones.
    public var extraMetaKeys: [String]

    /// Describes `message`.
    public init(_ message: any Message.Type) {
        type = message.type
        swiftName = String(describing: message)
        payload = message.payloadShape ?? PayloadShape(.any)
        hasPayload = message.hasPayload
        extraMetaKeys = message.extraMetaKeys.sorted()
    }

    init(type: String, swiftName: String, payload: PayloadShape, hasPayload: Bool) {
        self.type = type
        self.swiftName = swiftName
        self.payload = payload
        self.hasPayload = hasPayload
        extraMetaKeys = []
    }

    /// Whether a missing `payload` is accepted (read as `{}`).
    public var payloadIsOptional: Bool { !hasPayload || payload.acceptsEmptyObject }
}

/// One RPC: the request, and the response that also shapes its progress updates.
public struct RPCDescription: Sendable, Hashable {
    /// The request.
    public var request: MessageDescription
    /// The terminal response (progress updates, `$ws:rpc-progress`, carry the same payload).
    public var response: MessageDescription

    /// Describes `rpc`.
    public init(_ rpc: any RPC.Type) {
        request = MessageDescription(rpc)
        let responsePayload = rpc.responseShape ?? PayloadShape(.any)
        response = MessageDescription(
            type: rpc.responseType, swiftName: String(describing: rpc) + ".Response", payload: responsePayload,
            hasPayload: responsePayload != .empty)
    }

    /// Whether the RPC answers with no data (an acknowledgement).
    public var isAcknowledgement: Bool { !response.hasPayload }
}

extension PayloadShape {
    /// Whether `{}` has this shape (an object with no required field, or any value).
    public var acceptsEmptyObject: Bool {
        switch kind {
        case .any, .dictionary, .optional: return true
        case .object(let fields, _): return fields.allSatisfy { !$0.isRequired }
        default: return false
        }
    }
}
