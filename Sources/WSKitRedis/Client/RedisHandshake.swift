/// The commands a fresh connection sends before it is usable, as a state machine with no I/O:
/// `HELLO 3` (with `AUTH` and `SETNAME`), falling back to RESP2 `AUTH` / `CLIENT SETNAME` when the
/// server does not know `HELLO`, then `SELECT`.
///
/// Each step waits for the previous reply, so a failure is attributed to the right command.
public struct RedisHandshake: Sendable {
    /// What to do after a reply.
    public enum Step: Sendable, Equatable {
        /// The next command was appended to the output; wait for its reply.
        case awaitReply
        /// The connection is ready and speaks this protocol.
        case ready(RedisProtocolVersion)
        /// The connection is unusable.
        case failed(RedisError)
    }

    private enum Command: Sendable { case hello, auth, setName, select }

    private let configuration: RedisConfiguration
    private var queue: [Command] = []
    private var current: Command?
    /// The negotiated protocol so far.
    public private(set) var protocolVersion: RedisProtocolVersion = .resp2

    /// Creates a handshake for `configuration`.
    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    /// Appends the first command to `output`; returns `.ready(.resp2)` when nothing is needed
    /// (RESP2, no password, no name, database 0).
    public mutating func start(into output: inout [UInt8]) -> Step {
        if configuration.protocolVersion == .resp3 {
            queue = [.hello]
        } else {
            queue = resp2Commands()
        }
        if configuration.database != 0 { queue.append(.select) }
        return sendNext(into: &output)
    }

    /// Consumes the reply to the command last sent, appending the next one to `output`.
    public mutating func receive(_ reply: RedisValue, into output: inout [UInt8]) -> Step {
        guard let command = current else { return .failed(.unexpectedReply("reply before any handshake command")) }
        if case let .error(message) = reply {
            let error = RedisServerError(message: message)
            switch command {
            case .hello:
                if Self.isAuthenticationError(error) { return .failed(.authenticationFailed(message)) }
                // An old server (unknown command) or a refused protocol version: speak RESP2.
                protocolVersion = .resp2
                queue.insert(contentsOf: resp2Commands(), at: 0)
                return sendNext(into: &output)
            case .auth:
                return .failed(.authenticationFailed(message))
            case .setName, .select:
                return .failed(.server(error))
            }
        }
        switch command {
        case .hello:
            guard case .map = reply else { return .failed(.unexpectedReply("HELLO answered with \(reply)")) }
            protocolVersion = .resp3
        case .auth, .setName, .select:
            guard case .simpleString = reply else { return .failed(.unexpectedReply("\(command) answered with \(reply)")) }
        }
        return sendNext(into: &output)
    }

    private func resp2Commands() -> [Command] {
        var commands: [Command] = []
        if configuration.password != nil { commands.append(.auth) }
        if configuration.clientName != nil { commands.append(.setName) }
        return commands
    }

    private mutating func sendNext(into output: inout [UInt8]) -> Step {
        guard !queue.isEmpty else {
            current = nil
            return .ready(protocolVersion)
        }
        let command = queue.removeFirst()
        current = command
        RESPEncoder.encodeCommand(arguments(for: command), into: &output)
        return .awaitReply
    }

    private func arguments(for command: Command) -> [RedisArgument] {
        switch command {
        case .hello:
            var arguments: [RedisArgument] = ["HELLO", "3"]
            if let password = configuration.password {
                arguments += ["AUTH", RedisArgument(configuration.username ?? "default"), RedisArgument(password)]
            }
            if let name = configuration.clientName { arguments += ["SETNAME", RedisArgument(name)] }
            return arguments
        case .auth:
            let password = RedisArgument(configuration.password ?? "")
            if let username = configuration.username { return ["AUTH", RedisArgument(username), password] }
            return ["AUTH", password]
        case .setName:
            return ["CLIENT", "SETNAME", RedisArgument(configuration.clientName ?? "")]
        case .select:
            return ["SELECT", RedisArgument(configuration.database)]
        }
    }

    /// `NOAUTH` (a password is required), `WRONGPASS` (bad credentials), or the pre-6 wording.
    static func isAuthenticationError(_ error: RedisServerError) -> Bool {
        error.code == "NOAUTH" || error.code == "WRONGPASS" || error.message.hasPrefix("ERR invalid password")
    }
}
