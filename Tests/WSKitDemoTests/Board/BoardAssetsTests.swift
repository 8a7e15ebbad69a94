import Testing
import WSKitBoard

/// The page is embedded in the committed Examples/Board/Sync/EmbeddedAssets.swift with the
/// shared browser client (WSKitExampleWeb); this keeps the committed copy from going stale.
@Suite("Board assets")
struct BoardAssetsTests {
    @Test("the embedded files are exactly Examples/Board/Public and the browser client (else run the AssetEmbedder)")
    func embeddedMatchesPublic() throws {
        let examples = EmbeddedAssetsTests.publicDirectory.split(separator: "/").dropLast(2).joined(separator: "/")
        let directory = "/" + examples + "/Board/Public"
        let names = EmbeddedAssetsTests.names(in: directory)
        #expect(names == ["app.css", "app.js", "index.html"])
        #expect(Set(BoardAssets.files.keys) == Set(names.map { "/" + $0 } + ["/wskit.js", "/wskit.d.ts"]))
        for name in names {
            let onDisk = try #require(EmbeddedAssetsTests.read(directory + "/" + name))
            #expect(BoardAssets.files["/" + name] == onDisk, "\(name) changed: regenerate EmbeddedAssets.swift")
        }
        for name in ["wskit.js", "wskit.d.ts"] {
            let client = try #require(EmbeddedAssetsTests.read(EmbeddedAssetsTests.publicDirectory + "/" + name))
            #expect(BoardAssets.files["/" + name] == client, "\(name) changed: regenerate Examples/Web/EmbeddedAssets.swift")
        }
    }
}
