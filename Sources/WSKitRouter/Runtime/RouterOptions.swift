import WSKitContract
import WSKitMetrics

/// Router-wide settings, fixed when the router is built.
public struct RouterOptions: Sendable {
    /// Limits for parsing inbound frames (size, depth, string length, container size). A frame
    /// beyond them is answered with `INVALID_ARGUMENT`.
    public var limits: JSONLimits
    /// Whether outbound payloads are validated against their own schema after encoding (on in
    /// debug builds). A payload that fails is not sent and is reported.
    public var outboundValidation: OutboundValidation
    /// Whether an event handler that throws gets `ERROR` `INTERNAL` sent to the client. RPC
    /// handlers always answer (an RPC never leaves its caller hanging).
    public var sendInternalErrorOnThrow: Bool
    /// Whether the `INTERNAL` error for a thrown error carries its description (off: the message
    /// is the generic "Internal server error", so nothing leaks).
    public var exposeErrorDetails: Bool
    /// Cleans `details` of every error before it leaves the server.
    public var errorSanitizer: ErrorDetailsSanitizer
    /// How many frames are buffered while `onOpen` hooks run; beyond it frames are answered with
    /// `RESOURCE_EXHAUSTED` and dropped.
    public var maxFramesWhileOpening: Int
    /// Makes a connection id when the transport provides none (default: UUID v7).
    public var makeClientId: @Sendable () -> String
    /// Where the router and its plugins report metrics (messages by type, errors by code, RPC
    /// outcomes and latency, pub/sub publishes and deliveries; see `Metric`). nil (the default)
    /// reports nothing and costs one check per event.
    public var metrics: (any MetricsSink)?

    /// Creates options; every parameter has the documented default.
    public init(
        limits: JSONLimits = .default,
        outboundValidation: OutboundValidation = .default,
        sendInternalErrorOnThrow: Bool = true,
        exposeErrorDetails: Bool = false,
        errorSanitizer: ErrorDetailsSanitizer = .default,
        maxFramesWhileOpening: Int = 256,
        makeClientId: @escaping @Sendable () -> String = { UUIDv7.make() },
        metrics: (any MetricsSink)? = nil
    ) {
        self.metrics = metrics
        self.limits = limits
        self.outboundValidation = outboundValidation
        self.sendInternalErrorOnThrow = sendInternalErrorOnThrow
        self.exposeErrorDetails = exposeErrorDetails
        self.errorSanitizer = errorSanitizer
        self.maxFramesWhileOpening = maxFramesWhileOpening
        self.makeClientId = makeClientId
    }
}
