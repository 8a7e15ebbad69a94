#if canImport(Glibc)
import Glibc
#endif

/// Writes records as single lines to standard error: `level message key=value ...`.
public struct StandardErrorLogger: ServerLogger {
    public let minimumLevel: LogLevel

    /// Creates a logger that writes records at `minimumLevel` and above.
    public init(minimumLevel: LogLevel = .info) { self.minimumLevel = minimumLevel }

    public func log(_ level: LogLevel, _ message: String, metadata: [String: String]) {
        var line = "[wskit] \(level) \(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += "\n"
        var bytes = line
        bytes.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
