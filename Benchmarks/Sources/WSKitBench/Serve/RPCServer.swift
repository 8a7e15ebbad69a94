import Glibc
import WSKit
import WSKitBenchRouter

/// `wskit-bench serve rpc`: WSKit's server hosting the benchmark router through
/// `WebSocketServer(configuration:router:upgrade:)`; the load generator calls its typed
/// `BENCH_ECHO` RPC (`wskit-bench load echo --envelope`).
enum RPCServer {
    static func run(arguments: [String]) -> Int32 {
        var port = 9002
        var loops = 1
        if let value = Subprocess.currentEnvironment()["PORT"], let number = Int(value) { port = number }
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port": port = iterator.next().flatMap { Int($0) } ?? port
            case "--loops": loops = iterator.next().flatMap { Int($0) } ?? loops
            default:
                Console.log("usage: wskit-bench serve rpc [--port N] [--loops N]")
                return 2
            }
        }
        do {
            let runtime = try makeBenchRouter(Void.self).build(plugins: BenchPlugins())
            var configuration = ServerConfiguration(port: port, loopCount: loops)
            configuration.host = "127.0.0.1"
            configuration.maxBufferedBytes = 128 << 20  // as wskit-echo, the raw-echo baseline
            let server = WebSocketServer(configuration: configuration, router: runtime) { _ in .accept(()) }
            try server.run()
            return 0
        } catch {
            Console.log("wskit-bench serve rpc: \(error)")
            return 1
        }
    }
}
