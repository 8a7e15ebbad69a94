import WSKitProtocol

/// Why a connection is refused before its upgrade request is looked at (decided when it was
/// accepted, or when a trusted proxy's request named the client): answered with 503 as soon as
/// the request head arrives (ADR 0093).
enum AdmissionRefusal: Sendable, Equatable {
    /// Accepted beyond `maxConnections`.
    case overConnectionLimit
    /// The client address holds `clientAddressLimits.maxConnections` already.
    case tooManyFromAddress
    /// The client address opens connections faster than `clientAddressLimits.handshakeRate`.
    case handshakeRate(retryAfter: Duration)

    /// The refusal a limiter decision calls for; nil when the connection may proceed.
    init?(_ decision: ClientAddressLimiter.Decision) {
        switch decision {
        case .admitted, .exempt: return nil
        case .tooManyConnections: self = .tooManyFromAddress
        case let .tooManyHandshakes(retryAfter): self = .handshakeRate(retryAfter: retryAfter)
        }
    }

    /// The `reason` label of `Metric.connectionsRefused`.
    var reason: String {
        switch self {
        case .overConnectionLimit: "over_limit"
        case .tooManyFromAddress: "address_connections"
        case .handshakeRate: "address_handshake_rate"
        }
    }

    /// 503, with `Retry-After` where a time is known (at least one second).
    var response: HTTPResponse {
        switch self {
        case .overConnectionLimit: .serviceUnavailable(retryAfter: .seconds(5))
        case .tooManyFromAddress: .serviceUnavailable(retryAfter: nil, "Too many connections from this address")
        case let .handshakeRate(retryAfter): .serviceUnavailable(retryAfter: max(retryAfter, .seconds(1)), "Too many handshakes from this address")
        }
    }
}
