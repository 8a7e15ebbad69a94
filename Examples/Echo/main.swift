// wskit-echo: echoes every text and binary message on ws://HOST:PORT/ (any path).
//
//   wskit-echo [--port N] [--host ADDR] [--loops N]      (PORT env also sets the port; default 9001)
//
// Used by the Autobahn conformance run (scripts/autobahn-server.sh) and the load benchmarks, so its
// limits are the conformance ones: messages up to 64 MiB.
import Glibc
import WSKitServer

struct Options {
    var port = 9001
    var host = "127.0.0.1"
    var loops = ServerConfiguration.onlineCores

    init(arguments: [String], environment: [String: String]) throws {
        if let value = environment["PORT"], let port = Int(value) { self.port = port }
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port": port = try Self.integer(iterator.next(), for: argument)
            case "--loops": loops = try Self.integer(iterator.next(), for: argument)
            case "--host":
                guard let value = iterator.next() else { throw UsageError(message: "--host needs a value") }
                host = value
            case "-h", "--help": throw UsageError(message: "usage: wskit-echo [--port N] [--host ADDR] [--loops N]")
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
    }

    private static func integer(_ value: String?, for flag: String) throws -> Int {
        guard let value, let number = Int(value) else { throw UsageError(message: "\(flag) needs a number") }
        return number
    }
}

struct UsageError: Error { let message: String }

func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let pair = String(cString: entry).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        pointer += 1
    }
    return result
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

do {
    let options = try Options(arguments: CommandLine.arguments, environment: environment())
    var configuration = ServerConfiguration.conformance(port: options.port)
    configuration.host = options.host
    configuration.loopCount = options.loops
    let server = WebSocketServer(
        configuration: configuration,
        behavior: WebSocketBehavior(initial: ()) { ws, message in ws.send(message) }
    )
    try server.run()
} catch let error as UsageError {
    printError(error.message)
    exit(2)
} catch {
    printError("wskit-echo: \(error)")
    exit(1)
}
