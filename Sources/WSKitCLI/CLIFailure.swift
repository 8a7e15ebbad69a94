/// Why a command failed, and the exit status it ends with.
enum CLIFailure: Error {
    /// The command line is wrong (exit 2).
    case usage(String)
    /// `--help` (exit 0 after the usage text).
    case help
    /// The connection could not open or was lost (exit 3).
    case connection(String)
    /// The server answered with an error (exit 1); the frame was printed.
    case serverError
    /// No answer in time (exit 4).
    case timeout(String)

    var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .help: 0
        case .connection: 3
        case .serverError: 1
        case .timeout: 4
        }
    }

    var message: String? {
        switch self {
        case .usage(let text): "wskit: \(text)\n\(CLIOptions.usage)"
        case .help: CLIOptions.usage
        case .connection(let text): "wskit: connection: \(text)"
        case .serverError: nil
        case .timeout(let text): "wskit: timeout: \(text)"
        }
    }
}
