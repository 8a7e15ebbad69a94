import WSKitClient

/// What the command line asked for: the command, its arguments and the connection options.
struct CLIOptions {
    var command = ""
    var arguments: [String] = []
    var headers: [(String, String)] = []
    var subprotocols: [String] = []
    var token: String?
    var tokenQuery = "access_token"
    var caFile: String?
    var timeoutMs = 30_000
    var waitMs = 300
    var meta: JSONObject = [:]
    var epoch: String?
    var offset: Int?
    var count: Int?
    var durationMs: Int?

    static let usage = """
        usage: wskit <command> URL [arguments] [options]

        commands:
          connect URL                 interactive: each stdin line is sent as a frame (a JSON envelope,
                                      or `TYPE {payload}`); every frame received is printed as a JSON line
          send URL TYPE [JSON]        sends one message; fails if the server answers ERROR within --wait
          call URL TYPE [JSON]        an RPC: prints progress and the reply as JSON lines; exit status 0 on
                                      the reply, 1 on RPC_ERROR, 4 on timeout
          subscribe URL TOPIC         subscribes ($ws:subscribe; --epoch/--offset to recover from a position):
                                      prints the $ws:subscribed answer, then each publication; exit 1 if refused
          describe URL                fetches http(s)://host:port/asyncapi.json (https for wss://) and lists the messages

        options:
          --header 'Name: value'      an extra upgrade request header (repeatable)
          --token TOKEN               a token, sent in the query (--token-query NAME, default access_token)
          --subprotocol NAME          a subprotocol to offer (repeatable)
          --ca FILE                   trust only these CA certificates (PEM) for wss:// (and describe's https)
          --timeout MS                call: the deadline (sent as meta.timeoutMs), default 30000
          --wait MS                   send: how long to wait for an ERROR, default 300
          --meta JSON                 extra meta keys for send, call and subscribe
          --epoch E --offset N        subscribe: recover from this position (the last publication seen)
          --count N                   subscribe: stop after N publications
          --duration MS               subscribe: stop after MS once subscribed (default: until closed)

        exit status: 0 success, 1 the server answered with an error, 2 usage, 3 connection failed or
        lost, 4 timeout
        """

    static func parse(_ arguments: [String]) throws(CLIFailure) -> CLIOptions {
        var options = CLIOptions()
        var positional: [String] = []
        var index = 0
        func value(_ name: String) throws(CLIFailure) -> String {
            index += 1
            guard index < arguments.count else { throw .usage("\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--header", "-H":
                let header = try value(argument)
                guard let colon = header.firstIndex(of: ":") else { throw .usage("--header wants 'Name: value', got \(header)") }
                let name = header[..<colon].trimmingSpaces
                let headerValue = header[header.index(after: colon)...].trimmingSpaces
                options.headers.append((name, headerValue))
            case "--subprotocol": options.subprotocols.append(try value(argument))
            case "--token": options.token = try value(argument)
            case "--token-query": options.tokenQuery = try value(argument)
            case "--ca": options.caFile = try value(argument)
            case "--timeout":
                let text = try value(argument)
                guard let ms = Int(text), ms > 0 else { throw .usage("--timeout wants a positive number of ms, got \(text)") }
                options.timeoutMs = ms
            case "--wait":
                let text = try value(argument)
                guard let ms = Int(text), ms >= 0 else { throw .usage("--wait wants a number of ms, got \(text)") }
                options.waitMs = ms
            case "--meta":
                let text = try value(argument)
                guard let meta = (try? JSON.parse(text))?.objectValue else { throw .usage("--meta wants a JSON object, got \(text)") }
                options.meta = meta
            case "--epoch": options.epoch = try value(argument)
            case "--offset":
                let text = try value(argument)
                guard let offset = Int(text), offset >= 0 else { throw .usage("--offset wants a non-negative integer, got \(text)") }
                options.offset = offset
            case "--count":
                let text = try value(argument)
                guard let count = Int(text), count >= 0 else { throw .usage("--count wants a non-negative integer, got \(text)") }
                options.count = count
            case "--duration":
                let text = try value(argument)
                guard let ms = Int(text), ms >= 0 else { throw .usage("--duration wants a number of ms, got \(text)") }
                options.durationMs = ms
            case "--help", "-h": throw .help
            default:
                if argument.hasPrefix("--") { throw .usage("unknown option \(argument)") }
                positional.append(argument)
            }
            index += 1
        }
        guard let command = positional.first else { throw .usage("missing command") }
        options.command = command
        options.arguments = Array(positional.dropFirst())
        return options
    }

    /// The URL with the token in its query.
    func url(_ text: String) throws(CLIFailure) -> WebSocketURL {
        var full = text
        if let token {
            full += (text.contains("?") ? "&" : "?") + tokenQuery + "=" + token
        }
        do {
            return try WebSocketURL(full)
        } catch {
            throw .usage("invalid URL \(text): \(error)")
        }
    }

    /// The connection options: headers, subprotocols, trust roots.
    var connectionOptions: WebSocketConnectionOptions {
        var options = WebSocketConnectionOptions(subprotocols: subprotocols, headers: HTTPHeaders(headers))
        #if canImport(WSKitTLS)
        if let caFile {
            options.transport = TLSTransport(configuration: TLSClientConfiguration(trustRoots: .certificates(.file(caFile))))
        }
        #endif
        return options
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
