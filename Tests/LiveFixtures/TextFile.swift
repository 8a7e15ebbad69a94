import Glibc

/// The contents of the file at `path` as UTF-8 text (only its last `lastBytes` bytes when given),
/// or "" when it cannot be read. For logs and small files the tests inspect.
public func readTextFile(_ path: String, lastBytes: Int? = nil) -> String {
    guard let file = fopen(path, "r") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[..<count]
    }
    return String(decoding: lastBytes.map { bytes.suffix($0) } ?? bytes[...], as: UTF8.self)
}
