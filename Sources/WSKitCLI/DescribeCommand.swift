import WSKitClient

extension Commands {
    /// `describe URL`: fetches the AsyncAPI document served next to the WebSocket endpoint
    /// (`GET /asyncapi.json`; HTTPS for a `wss://` URL, trusting `--ca` when given, else the
    /// system's roots) and prints one JSON line per operation.
    static func describe(_ options: CLIOptions) async throws(CLIFailure) {
        guard options.arguments.count == 1 else { throw .usage("describe wants URL") }
        let url = try options.url(options.arguments[0])
        var tls: TLSClientConfiguration?
        if url.secure {
            tls = options.caFile.map { TLSClientConfiguration(trustRoots: .certificates(.file($0))) } ?? TLSClientConfiguration()
        }
        let body = try HTTPGet.fetch(host: url.host, port: url.port, path: "/asyncapi.json", tls: tls)
        guard let document = try? JSON.parse(body), document["asyncapi"] != nil else {
            throw .connection("GET /asyncapi.json did not return an AsyncAPI document")
        }
        func names(_ references: JSONValue?) -> JSONValue {
            .array((references?.arrayValue ?? []).compactMap { reference -> JSONValue? in
                guard let path = reference["$ref"]?.stringValue, let key = path.split(separator: "/").last else { return nil }
                return document["components"]?["messages"]?[String(key)]?["name"] ?? .string(String(key))
            })
        }
        if let info = document["info"] { printError("\(info["title"]?.stringValue ?? "?") \(info["version"]?.stringValue ?? "")") }
        for (id, operation) in document["operations"]?.objectValue ?? [:] {
            var line: JSONObject = [
                "operation": .string(id), "action": operation["action"] ?? .null,
                "direction": operation["action"]?.stringValue == "receive" ? "client→server" : "server→client",
                "messages": names(operation["messages"]),
            ]
            if let reply = operation["reply"] { line["reply"] = names(reply["messages"]) }
            printLine(JSON.serialize(.object(line)))
        }
    }
}
