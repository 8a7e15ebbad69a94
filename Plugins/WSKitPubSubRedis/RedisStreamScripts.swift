import WSKitRedis

/// The Lua scripts that keep topic streams in Redis (ADR 0052). A stream is two keys: a hash
/// (`epoch`, `top`) and a list of entries `"<offset> <time ms> <encoded message>"`, oldest first.
/// A missing hash (never created, flushed, lost in a restart) starts a new epoch.
enum RedisStreamScripts {
    /// Appends and publishes in one step. KEYS: list, hash. ARGV: channel, encoded message, size,
    /// TTL ms (0: none), epoch for a new stream, now ms. Returns `{offset, epoch, receivers}`.
    /// The channel payload is `"WSKS<offset> <epoch> " + encoded message`.
    static let publish = RedisScript("""
        local epoch = redis.call('HGET', KEYS[2], 'epoch')
        if not epoch then
          epoch = ARGV[5]
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[2], 'epoch', epoch, 'top', 0)
        end
        local top = redis.call('HINCRBY', KEYS[2], 'top', 1)
        redis.call('RPUSH', KEYS[1], top .. ' ' .. ARGV[6] .. ' ' .. ARGV[2])
        redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
        local ttl = tonumber(ARGV[4])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
        local receivers = redis.call('PUBLISH', ARGV[1], 'WSKS' .. top .. ' ' .. epoch .. ' ' .. ARGV[2])
        return {top, epoch, receivers}
        """)

    /// Reads the stream and publishes a sync marker in one step. KEYS: list, hash. ARGV: channel,
    /// epoch for a new stream, sync token, the reader's epoch (`""`: none), the reader's offset.
    /// Returns `{epoch, top, entries}`: the entries after the reader's offset when its epoch
    /// matches and they are all in the list, otherwise the last entry alone. The marker is
    /// `"WSKY<token>"`.
    static let history = RedisScript("""
        local epoch = redis.call('HGET', KEYS[2], 'epoch')
        if not epoch then
          epoch = ARGV[2]
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[2], 'epoch', epoch, 'top', 0)
        end
        local top = redis.call('HGET', KEYS[2], 'top')
        local length = redis.call('LLEN', KEYS[1])
        local start = -1
        if ARGV[4] == epoch then
          local first = tonumber(top) - length + 1
          local after = tonumber(ARGV[5])
          if after + 1 >= first then start = after + 1 - first end
        end
        local entries
        if start >= 0 then entries = redis.call('LRANGE', KEYS[1], start, -1)
        else entries = redis.call('LRANGE', KEYS[1], -1, -1) end
        redis.call('PUBLISH', ARGV[1], 'WSKY' .. ARGV[3])
        return {epoch, top, entries}
        """)

    /// The prefix of a stream publication on a channel.
    static let publicationMarker: [UInt8] = Array("WSKS".utf8)
    /// The prefix of a sync marker on a channel.
    static let syncMarker: [UInt8] = Array("WSKY".utf8)

    /// Splits `"<a> <b> <rest>"` at its first two spaces.
    static func split(_ bytes: ArraySlice<UInt8>) -> (String, String, ArraySlice<UInt8>)? {
        guard let first = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let afterFirst = bytes[(first + 1)...]
        guard let second = afterFirst.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        return (
            String(decoding: bytes[..<first], as: UTF8.self), String(decoding: afterFirst[..<second], as: UTF8.self),
            bytes[(second + 1)...]
        )
    }

    /// A history entry `"<offset> <time ms> <encoded message>"` read in place: its offset, its
    /// time and the encoded message's bytes (no copy, no intermediate strings: a recovery reads up
    /// to a whole history of them).
    static func entry(_ bytes: [UInt8]) -> (offset: UInt64, timeMs: Int64, message: ArraySlice<UInt8>)? {
        guard let first = bytes.firstIndex(of: UInt8(ascii: " ")),
              let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: " ")),
              let offset = decimal(bytes[..<first], as: UInt64.self),
              let time = decimal(bytes[(first + 1) ..< second], as: Int64.self)
        else { return nil }
        return (offset, time, bytes[(second + 1)...])
    }

    /// An unsigned decimal number that fits `T`; `nil` for anything else (empty, a sign, overflow).
    static func decimal<T: FixedWidthInteger>(_ digits: ArraySlice<UInt8>, as: T.Type) -> T? {
        guard !digits.isEmpty else { return nil }
        var value: T = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowPlus) = shifted.addingReportingOverflow(T(byte &- UInt8(ascii: "0")))
            guard !overflowTimes, !overflowPlus else { return nil }
            value = sum
        }
        return value
    }
}
