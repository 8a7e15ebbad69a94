// Build tool of the demo (run by the WSKitDemoAssets plugin): embeds the files of
// Examples/Demo/Public in a Swift source file, so `wskit-demo` serves its page and browser client
// from the binary, wherever it runs.
//
// Usage: WSKitDemoAssetEmbedder OUTPUT.swift FILE...
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array("WSKitDemoAssetEmbedder: \(message)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot read \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[..<count]
    }
    return bytes
}

/// A raw multi-line string literal holding `text` exactly: neither its closing delimiter nor its
/// escape sequence (`\#…`) occurs in the text.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: WSKitDemoAssetEmbedder OUTPUT.swift FILE...") }
let output = arguments[1]
var source = """
    // Generated at build time by WSKitDemoAssetEmbedder from Examples/Demo/Public. Do not edit.

    /// The demo's static files, by URL path.
    enum EmbeddedAssets {
        /// `(path, text)` for each file of Examples/Demo/Public.
        static let files: [(path: String, text: String)] = [

    """
for path in arguments.dropFirst(2).sorted() {
    let bytes = readFile(path)
    guard let text = String(validating: bytes, as: UTF8.self) else { fail("\(path) is not UTF-8 text") }
    guard !text.contains("\r") else { fail("\(path) has CR line endings") }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    source += "        (\"/\(name)\", \(literal(text))),\n"
}
source += "    ]\n}\n"

guard let file = fopen(output, "wb") else { fail("cannot write \(output)") }
let bytes = Array(source.utf8)
guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { fail("cannot write \(output)") }
fclose(file)
