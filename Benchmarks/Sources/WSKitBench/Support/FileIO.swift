import Glibc

/// Whole-file reads and writes without Foundation.
enum FileIO {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The file's contents as UTF-8 text.
    static func read(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path`, creating missing parent directories.
    static func write(_ text: String, to path: String) throws {
        makeDirectories(dirname(of: path))
        guard let file = fopen(path, "wb") else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        var text = text
        let ok = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        if !ok { throw Failure(description: "short write to \(path)") }
    }

    /// Whether `path` exists.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether `path` is an executable file.
    static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) {
        guard !path.isEmpty, !exists(path) else { return }
        makeDirectories(dirname(of: path))
        mkdir(path, 0o755)
    }

    /// The directory part of `path` (`""` for a bare name).
    static func dirname(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The canonical absolute path, if it exists.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The current directory.
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
