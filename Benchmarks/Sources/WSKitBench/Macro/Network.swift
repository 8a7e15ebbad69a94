import Glibc

/// Loopback helpers.
enum Network {
    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// Waits until `port` accepts, the process exits, or `timeout` seconds pass.
    static func waitForPort(_ port: Int, process: Subprocess, timeout: Double = 30) -> Bool {
        let deadline = Clock.seconds() + timeout
        while Clock.seconds() < deadline {
            if !process.isRunning { return false }
            if accepts(port: port) { return true }
            Clock.sleep(0.05)
        }
        return false
    }
}
