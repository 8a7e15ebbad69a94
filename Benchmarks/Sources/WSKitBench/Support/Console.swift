import Glibc

/// Progress and errors go to stderr; stdout carries only the table (or a subcommand's output).
enum Console {
    /// Writes a line to stderr.
    static func log(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Writes text to stdout.
    static func print(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
