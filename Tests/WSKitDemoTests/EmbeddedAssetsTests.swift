import Glibc
import Testing
import WSKitDemo

/// The page and browser client are embedded in the committed Examples/Demo/Chat/EmbeddedAssets.swift
/// (no build-tool plugin: SwiftPM would build it for every package depending on WSKit). This
/// keeps the committed copy from going stale.
@Suite("Demo assets")
struct EmbeddedAssetsTests {
    static let publicDirectory: String = {
        let file = #filePath
        let tests = file[..<file.lastIndex(of: "/")!]
        let root = tests[..<tests.lastIndex(of: "/")!]
        return root[..<root.lastIndex(of: "/")!] + "/Examples/Demo/Public"
    }()

    static func names(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
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

    @Test("the embedded files are exactly Examples/Demo/Public (else run Examples/Demo/AssetEmbedder/main.swift)")
    func embeddedMatchesPublic() throws {
        let names = Self.names(in: Self.publicDirectory)
        #expect(!names.isEmpty)
        #expect(Set(DemoAssets.files.keys) == Set(names.map { "/" + $0 }))
        for name in names {
            let onDisk = try #require(Self.read(Self.publicDirectory + "/" + name))
            #expect(DemoAssets.files["/" + name] == onDisk, "\(name) changed: regenerate EmbeddedAssets.swift")
        }
    }
}
