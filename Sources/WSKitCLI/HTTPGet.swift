#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import WSKitClient

/// A minimal blocking HTTP/1.1 GET over TCP, or TLS when `tls` is given (what `describe` needs:
/// one small document).
enum HTTPGet {
    /// The body of `GET path` on `host:port`; throws unless the status is 200.
    static func fetch(
        host: String, port: Int, path: String, tls: TLSClientConfiguration? = nil, timeoutSeconds: Int = 10
    ) throws(CLIFailure) -> [UInt8] {
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
        let response: [UInt8]
        if let tls {
            response = try exchangeTLS(fd: fd, request: request, host: host, port: port, configuration: tls)
        } else {
            try sendAll(fd: fd, request, to: "\(host):\(port)")
            var received: [UInt8] = []
            while let chunk = try receive(fd: fd, from: "\(host):\(port)") { received += chunk }
            response = received
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

    private static func sendAll(fd: Int32, _ bytes: [UInt8], to peer: String) throws(CLIFailure) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw .connection("cannot send to \(peer)") }
            sent += count
        }
    }

    /// The next bytes received, or nil at the end of the stream.
    private static func receive(fd: Int32, from peer: String) throws(CLIFailure) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count < 0 { throw .timeout("no complete answer from \(peer)") }
        return count == 0 ? nil : Array(chunk[..<count])
    }

    /// The request sent and the response read through a TLS session (certificate checked
    /// against `configuration`'s trust roots and `host`).
    private static func exchangeTLS(
        fd: Int32, request: [UInt8], host: String, port: Int, configuration: TLSClientConfiguration
    ) throws(CLIFailure) -> [UInt8] {
        let peer = "\(host):\(port)"
        let session: TLSSession
        do {
            session = try TLSClientContext(configuration: configuration).makeSession(host: host)
            try session.start()
        } catch {
            throw .connection("TLS: \(error)")
        }
        func flush() throws(CLIFailure) {
            guard session.hasPendingOutput else { return }
            let bytes = session.withPendingOutput { Array($0) }
            session.consumeOutput(bytes.count)
            try sendAll(fd: fd, bytes, to: peer)
        }
        var response: [UInt8] = []
        var plaintext = [UInt8](repeating: 0, count: 16_384)
        var requestSent = false
        try flush()
        while response.count < 16 << 20 {
            if session.isHandshakeComplete && !requestSent {
                do { try request.withUnsafeBytes { bytes in try session.write(bytes) } } catch {
                    throw .connection("TLS: \(error)")
                }
                requestSent = true
                try flush()
            }
            guard let chunk = try receive(fd: fd, from: peer) else { break }
            let outcome: TLSSession.ReceiveOutcome
            do {
                outcome = try chunk.withUnsafeBytes { ciphertext in
                    try plaintext.withUnsafeMutableBytes { buffer in
                        try session.receive(ciphertext, plaintext: buffer) { decrypted in
                            response += decrypted
                            return true
                        }
                    }
                }
            } catch {
                try? flush()
                throw .connection("TLS with \(peer): \(error)")
            }
            try flush()
            if outcome == .peerClosed { break }
        }
        return response
    }
}
