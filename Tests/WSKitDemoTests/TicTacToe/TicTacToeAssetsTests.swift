import Testing
import WSKitTicTacToe

/// The page is embedded in the committed Examples/TicTacToe/Game/EmbeddedAssets.swift with the
/// shared browser client (WSKitExampleWeb); this keeps the committed copy from going stale.
@Suite("Tic-tac-toe assets")
struct TicTacToeAssetsTests {
    @Test("the embedded files are exactly Examples/TicTacToe/Public and the browser client (else run the AssetEmbedder)")
    func embeddedMatchesPublic() throws {
        let examples = EmbeddedAssetsTests.publicDirectory.split(separator: "/").dropLast(2).joined(separator: "/")
        let directory = "/" + examples + "/TicTacToe/Public"
        let names = EmbeddedAssetsTests.names(in: directory)
        #expect(names == ["app.css", "app.js", "index.html"])
        #expect(Set(TicTacToeAssets.files.keys) == Set(names.map { "/" + $0 } + ["/wskit.js", "/wskit.d.ts"]))
        for name in names {
            let onDisk = try #require(EmbeddedAssetsTests.read(directory + "/" + name))
            #expect(TicTacToeAssets.files["/" + name] == onDisk, "\(name) changed: regenerate EmbeddedAssets.swift")
        }
        for name in ["wskit.js", "wskit.d.ts"] {
            let client = try #require(EmbeddedAssetsTests.read(EmbeddedAssetsTests.publicDirectory + "/" + name))
            #expect(TicTacToeAssets.files["/" + name] == client, "\(name) changed: regenerate Examples/Web/EmbeddedAssets.swift")
        }
    }
}
