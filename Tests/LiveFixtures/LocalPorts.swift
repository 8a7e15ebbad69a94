import CWSKitShims
import Glibc

/// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
public func freePort() -> Int {
    let fd = cwskit_listen_tcp("127.0.0.1", 0, 1, 0)
    defer { close(fd) }
    return Int(cwskit_local_port(fd))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port` right now (blocks at most 1 s).
public func acceptsConnections(port: Int) -> Bool {
    (try? RawClient(port: port, timeout: 1)) != nil
}
