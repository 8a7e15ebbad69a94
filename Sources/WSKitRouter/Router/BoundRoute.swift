/// A route of a built router, with no generic parameters so that dispatch (parsing, lookup,
/// envelope and meta checks) runs as concrete code; only the start closure knows the types.
@usableFromInline
final class BoundRoute: Sendable {
    /// Decodes the payload and starts the handler for an admitted exchange.
    @usableFromInline
    typealias Start = @Sendable (ConnectionCore, MessageExchange) -> Void

    let kind: RouteKind
    let extraMetaKeys: Set<String>
    let start: Start
    let finish: (@Sendable (MessageExchange) -> Void)?
    /// The route's metric handles; nil without a metrics sink.
    let metrics: RouteMetrics?

    init(
        kind: RouteKind, extraMetaKeys: Set<String>, start: @escaping Start,
        finish: (@Sendable (MessageExchange) -> Void)?, metrics: RouteMetrics?
    ) {
        self.kind = kind
        self.extraMetaKeys = extraMetaKeys
        self.start = start
        self.finish = finish
        self.metrics = metrics
    }
}
