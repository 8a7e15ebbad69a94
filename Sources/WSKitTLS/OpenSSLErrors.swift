import COpenSSL

/// OpenSSL's thread-local error queue.
enum OpenSSLErrors {
    /// Empties the queue and returns its messages joined by "; " (or "unknown error").
    static func drain() -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            messages.append(String(decoding: text, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }

    /// Empties the queue.
    static func clear() { ERR_clear_error() }
}
