#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 GET over plain TCP (what `describe` needs: one small document).
enum HTTPGet {
    /// The body of `GET path` on `host:port`; throws unless the status is 200.
    static func fetch(host: String, port: Int, path: String, timeoutSeconds: Int = 10) throws(CLIFailure) -> [UInt8] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .connection("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        var fd: Int32 = -1
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { break }
                close(fd)
                fd = -1
            }
            entry = info.pointee.ai_next
        }
        guard fd >= 0 else { throw .connection("cannot connect to \(host):\(port)") }
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: application/json\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw .connection("cannot send the request to \(host):\(port)") }
            sent += count
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while response.count < 16 << 20 {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 { throw .timeout("no complete answer from \(host):\(port)") }
            if count == 0 { break }
            response += chunk[..<count]
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = response.indices.first(where: { response[$0...].starts(with: separator) }) else {
            throw .connection("malformed HTTP response from \(host):\(port)")
        }
        let head = String(decoding: response[..<headEnd], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[1] == "200" else {
            throw .connection("GET \(path): \(statusLine.isEmpty ? "no status" : statusLine)")
        }
        var body = Array(response[(headEnd + 4)...])
        if let lengthLine = head.lowercased().split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(lengthLine.dropFirst("content-length:".count).trimmingSpaces), length < body.count
        {
            body = Array(body.prefix(length))
        }
        return body
    }
}
