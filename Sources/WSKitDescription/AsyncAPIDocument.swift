import WSKitContract
import WSKitValidation

/// An AsyncAPI 3.0 document of an application (``APIDescription``): one channel (the WebSocket
/// connection), an operation per message (`receive` for what clients send, `send` for pushes and
/// errors, `receive` with a `reply` for RPCs, correlated by `meta.correlationId`), every message
/// with its envelope and payload schema, the error payload with the standard error codes.
///
/// From the application's side: the server *receives* client messages and *sends* pushes.
public struct AsyncAPIDocument: Sendable {
    /// What the document describes.
    public var description: APIDescription
    /// The WebSocket path clients connect to (the channel's `address`).
    public var path: String
    /// A server to list (`host:port`), if any.
    public var host: String?

    /// Creates the document of `description`, for connections to `path` on `host`.
    public init(_ description: APIDescription, path: String = "/", host: String? = nil) {
        self.description = description
        self.path = path
        self.host = host
    }

    static let channel = "connection"

    /// The document as a JSON value.
    public var value: JSONValue {
        var messages = JSONObject()        // components.messages
        var schemas = JSONObject()         // components.schemas
        var channelMessages = JSONObject() // channels.connection.messages
        var operations = JSONObject()

        func add(_ key: String, _ message: JSONValue, schema: (String, JSONValue)?) {
            messages[key] = message
            channelMessages[key] = ["$ref": .string("#/components/messages/\(key)")]
            if let schema { schemas[schema.0] = schema.1 }
        }
        func messageRef(_ key: String) -> JSONValue { ["$ref": .string("#/channels/\(Self.channel)/messages/\(key)")] }
        let channelRef: JSONValue = ["$ref": .string("#/channels/\(Self.channel)")]

        add("ERROR", Self.errorMessage(type: ReservedType.error, correlated: false), schema: ("WireError", Self.errorSchema))
        add("RPC_ERROR", Self.errorMessage(type: ReservedType.rpcError, correlated: true), schema: nil)

        for event in description.events {
            let key = Self.key(event.type)
            add(key, Self.message(event, clientSent: true, correlated: false), schema: (key, JSONSchema.schema(for: event.payload)))
            operations["receive_\(key)"] = [
                "action": "receive", "channel": channelRef, "summary": .string("A client sends \(event.type)."),
                "messages": [messageRef(key)],
            ]
        }
        for rpc in description.rpcs {
            let key = Self.key(rpc.request.type)
            let responseKey = Self.key(rpc.response.type)
            let progressKey = key + "_PROGRESS"
            add(key, Self.message(rpc.request, clientSent: true, correlated: true), schema: (key, JSONSchema.schema(for: rpc.request.payload)))
            if messages[responseKey] == nil {
                add(responseKey, Self.message(rpc.response, clientSent: false, correlated: true),
                    schema: (responseKey, JSONSchema.schema(for: rpc.response.payload)))
            }
            var progress = rpc.response
            progress.type = ReservedType.rpcProgress
            var progressMessage = Self.message(progress, clientSent: false, correlated: true, schemaName: responseKey)
            if case .object(var object) = progressMessage {
                object["title"] = .string("Progress of \(rpc.request.type)")
                progressMessage = .object(object)
            }
            add(progressKey, progressMessage, schema: nil)
            operations["receive_\(key)"] = [
                "action": "receive", "channel": channelRef,
                "summary": .string("RPC \(rpc.request.type): progress updates, then \(rpc.response.type) or RPC_ERROR."),
                "messages": [messageRef(key)],
                "reply": ["channel": channelRef, "messages": [messageRef(responseKey), messageRef(progressKey), messageRef("RPC_ERROR")]],
            ]
        }
        for push in description.pushes {
            let key = Self.key(push.type)
            if messages[key] == nil {
                add(key, Self.message(push, clientSent: false, correlated: false), schema: (key, JSONSchema.schema(for: push.payload)))
            }
            operations["send_\(key)"] = [
                "action": "send", "channel": channelRef, "summary": .string("The server pushes \(push.type)."),
                "messages": [messageRef(key)],
            ]
        }
        operations["send_ERROR"] = [
            "action": "send", "channel": channelRef, "summary": "An error not tied to an RPC.", "messages": [messageRef("ERROR")],
        ]

        var channel: JSONObject = [
            "address": .string(path), "title": "WebSocket connection",
            "description": "One WebSocket connection; every frame is one JSON envelope {type, meta, payload}.",
            "messages": .object(channelMessages),
        ]
        var document: JSONObject = [
            "asyncapi": "3.0.0",
            "info": [
                "title": .string(description.title), "version": .string(description.version),
                "description": "Generated by WSKit from the application's Swift types.",
            ],
            "defaultContentType": "application/json",
        ]
        if let host {
            document["servers"] = ["default": ["host": .string(host), "protocol": "ws", "pathname": .string(path)]]
            channel["servers"] = [["$ref": "#/servers/default"]]
        }
        var channels = JSONObject()
        channels[Self.channel] = .object(channel)
        document["channels"] = .object(channels)
        document["operations"] = .object(operations)
        document["components"] = [
            "messages": .object(messages), "schemas": .object(schemas),
            "correlationIds": ["rpc": ["description": "Pairs an RPC request with its progress, reply or error.", "location": "$message.payload#/meta/correlationId"]],
        ]
        return .object(document)
    }

    /// The document as indented JSON.
    public func json() -> String { DocumentText.json(value) }

    /// The document as YAML.
    public func yaml() -> String { DocumentText.yaml(value) }

    /// A component key for a message type (keys allow letters, digits, `.`, `-`, `_`).
    static func key(_ type: String) -> String {
        String(type.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// A message: its envelope schema, with the payload schema referenced from components.
    static func message(
        _ message: MessageDescription, clientSent: Bool, correlated: Bool, schemaName: String? = nil
    ) -> JSONValue {
        var object: JSONObject = [
            "name": .string(message.type), "title": .string(message.type),
            "summary": .string("Swift type \(message.swiftName)."),
            "payload": envelope(
                type: message.type, payload: message.hasPayload ? ["$ref": .string("#/components/schemas/\(schemaName ?? key(message.type))")] : nil,
                payloadRequired: !message.payloadIsOptional, clientSent: clientSent, correlated: correlated,
                extraMeta: message.extraMetaKeys),
        ]
        if correlated { object["correlationId"] = ["$ref": "#/components/correlationIds/rpc"] }
        return .object(object)
    }

    /// The envelope of one message type.
    static func envelope(
        type: String, payload: JSONValue?, payloadRequired: Bool, clientSent: Bool, correlated: Bool, extraMeta: [String]
    ) -> JSONValue {
        var meta: JSONObject = [:]
        if clientSent {
            meta["correlationId"] = ["type": "string", "minLength": 1, "maxLength": 256]
            meta["timeoutMs"] = ["type": "integer", "minimum": 0]
            meta["timestamp"] = ["type": "number"]
            // Server-only keys a client may echo: stripped, never rejected.
            meta["clientId"] = [:]
            meta["receivedAt"] = [:]
            for key in extraMeta { meta[key] = [:] }
        } else {
            meta["timestamp"] = ["type": "number", "description": "The server's clock, Unix ms."]
            if correlated { meta["correlationId"] = ["type": "string"] }
        }
        var properties: JSONObject = [
            "type": ["const": .string(type)],
            "meta": ["type": "object", "properties": .object(meta), "additionalProperties": .bool(!clientSent)],
        ]
        var required: [JSONValue] = ["type"]
        if let payload {
            properties["payload"] = payload
            if payloadRequired { required.append("payload") }
        }
        if correlated && !clientSent { required.append("meta") }
        return ["type": "object", "properties": .object(properties), "required": .array(required), "additionalProperties": false]
    }

    static func errorMessage(type: String, correlated: Bool) -> JSONValue {
        var object: JSONObject = [
            "name": .string(type), "title": .string(type),
            "summary": .string(correlated ? "The terminal error of an RPC." : "An error not tied to an RPC."),
            "payload": envelope(
                type: type, payload: ["$ref": "#/components/schemas/WireError"], payloadRequired: true, clientSent: false,
                correlated: correlated, extraMeta: []),
        ]
        if correlated { object["correlationId"] = ["$ref": "#/components/correlationIds/rpc"] }
        return .object(object)
    }

    /// The error payload, with the standard codes (applications may add their own).
    static var errorSchema: JSONValue {
        let codes = ErrorCode.standard.map { code -> String in
            "\(code.rawValue): \(code.info?.description ?? "")"
        }
        return [
            "type": "object",
            "properties": [
                "code": [
                    "type": "string", "examples": .array(ErrorCode.standard.map { .string($0.rawValue) }),
                    "description": .string("A standard code or an application code. Standard codes:\n" + codes.joined(separator: "\n")),
                ],
                "message": ["type": "string"],
                "details": ["type": "object"],
                "retryable": ["type": "boolean"],
                "retryAfterMs": ["type": ["integer", "null"], "description": "null: retrying cannot succeed."],
            ],
            "required": ["code", "message"],
            "additionalProperties": false,
        ]
    }
}
