// wskit: a command-line client for WSKit servers (and any server speaking its JSON envelope).
//
//   wskit connect ws://127.0.0.1:8081/?token=ada:admin
//   wskit call ws://127.0.0.1:8081/ RUN_JOB '{"steps":3,"name":"x"}' --token ada:admin --token-query token
//   wskit subscribe ws://127.0.0.1:8080/ws/lobby chat:lobby --count 10
//   wskit describe ws://127.0.0.1:8081/
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let status: Int32
do throws(CLIFailure) {
    let options = try CLIOptions.parse(Array(CommandLine.arguments.dropFirst()))
    switch options.command {
    case "connect": try await Commands.connect(options)
    case "send": try await Commands.send(options)
    case "call": try await Commands.call(options)
    case "subscribe": try await Commands.subscribe(options)
    case "describe": try await Commands.describe(options)
    default: throw .usage("unknown command \(options.command)")
    }
    status = 0
} catch {
    if let message = error.message { printError(message) }
    status = error.exitStatus
}
exit(status)
