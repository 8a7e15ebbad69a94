import WSKitBenchRouter
import WSKitHostAdapter

/// The benchmark router as `wskit-bench serve rpc` builds it, with every upgrade accepted, ready
/// for a foreign host.
///
/// Outbound frames may queue up to 128 MiB per connection, the limit `serve rpc` gives WSKit's
/// server, so that neither host closes a connection the other would keep.
func makeBenchRouterHost() throws -> RouterHost<Void, BenchPlugins> {
    let runtime = try makeBenchRouter(Void.self).build(plugins: BenchPlugins())
    return RouterHost(router: runtime, maxBufferedBytes: 128 << 20) { _ in .accept(()) }
}
