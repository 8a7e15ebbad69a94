extension RedisConnection {
    /// Runs `script` with `EVALSHA`; if the server does not have it (`NOSCRIPT`, after a restart
    /// or `SCRIPT FLUSH`), runs it with `EVAL`, which also caches it for the next call.
    ///
    /// Error replies from the script itself throw `.server`. Each command waits at most the
    /// configuration's `commandTimeout`.
    public func evaluate(
        _ script: RedisScript, keys: [RedisArgument] = [], arguments: [RedisArgument] = []
    ) async throws(RedisError) -> RedisValue {
        try await evaluate(script, keys: keys, arguments: arguments, timeout: configuration.commandTimeout)
    }

    /// ``evaluate(_:keys:arguments:)`` with its own timeout for each command (`nil`: as long as
    /// the connection lives).
    public func evaluate(
        _ script: RedisScript, keys: [RedisArgument] = [], arguments: [RedisArgument] = [], timeout: Duration?
    ) async throws(RedisError) -> RedisValue {
        let tail = [RedisArgument(keys.count)] + keys + arguments
        do throws(RedisError) {
            return try await send(["EVALSHA", RedisArgument(script.sha1)] + tail, timeout: timeout)
        } catch let .server(error) where error.code == "NOSCRIPT" {
            return try await send(["EVAL", RedisArgument(script.source)] + tail, timeout: timeout)
        }
    }

    /// `SCRIPT LOAD`: caches `script` on the server ahead of time, and checks that the server's
    /// SHA-1 matches the one computed here.
    public func load(_ script: RedisScript) async throws(RedisError) {
        let reply = try await send(["SCRIPT", "LOAD", RedisArgument(script.source)])
        guard reply.string == script.sha1 else {
            throw .unexpectedReply("SCRIPT LOAD returned \(reply), expected \(script.sha1)")
        }
    }
}
