/// WSKit's browser client, `wskit.js`, and its TypeScript declarations, `wskit.d.ts`, embedded
/// once for every example (generated from Examples/Demo/Public into EmbeddedAssets.swift; the
/// examples' asset tests fail when it is stale).
public enum BrowserClient {
    /// `/wskit.js` and `/wskit.d.ts` by URL path.
    public static let files: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for file in EmbeddedAssets.files { files[file.path] = Array(file.text.utf8) }
        return files
    }()
}
