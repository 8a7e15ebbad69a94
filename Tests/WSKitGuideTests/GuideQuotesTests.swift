import Glibc
import Testing

/// docs/guide.md quotes the guide's sources: every Swift block names the file it shows
/// (`<!-- file: Examples/Guide/App.swift -->` on the line before it) and must equal that file, so
/// the guide's code is exactly the code this package compiles and tests. Only the app's manifest
/// (which belongs to the reader's package) is marked `<!-- not compiled: … -->`.
@Suite struct GuideQuotesTests {
    static let root: String = {
        let file = #filePath
        var path = file[..<file.lastIndex(of: "/")!]
        path = path[..<path.lastIndex(of: "/")!]
        return String(path[..<path.lastIndex(of: "/")!])
    }()

    static func read(_ path: String) -> String? {
        guard let file = fopen(root + "/" + path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The Swift blocks of the guide: the marker line before each, and its content.
    static func swiftBlocks(of text: String) -> [(marker: String, code: String)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [(String, String)] = []
        var index = 0
        while index < lines.count {
            if lines[index] == "```swift" {
                let marker = index > 0 ? lines[index - 1] : ""
                var code: [String] = []
                index += 1
                while index < lines.count, lines[index] != "```" {
                    code.append(lines[index])
                    index += 1
                }
                blocks.append((marker, code.joined(separator: "\n") + "\n"))
            }
            index += 1
        }
        return blocks
    }

    @Test func everySwiftBlockOfTheGuideIsAFileThatIsCompiledAndTested() throws {
        let guide = try #require(Self.read("docs/guide.md"))
        let blocks = Self.swiftBlocks(of: guide)
        #expect(blocks.count >= 8)
        var quoted: [String] = []
        for block in blocks {
            if block.marker.hasPrefix("<!-- not compiled:") { continue }
            guard block.marker.hasPrefix("<!-- file: "), block.marker.hasSuffix(" -->") else {
                Issue.record("a Swift block without a file marker: \(block.code.prefix(80))")
                continue
            }
            let path = String(block.marker.dropFirst("<!-- file: ".count).dropLast(" -->".count))
            quoted.append(path)
            let file = try #require(Self.read(path), "\(path) does not exist")
            #expect(block.code == file, "docs/guide.md's quote of \(path) differs from the file")
        }
        for file in ["App.swift", "AppPlugins.swift", "Messages.swift", "PollError.swift", "PollRoutes.swift", "PollStore.swift"] {
            #expect(quoted.contains("Examples/Guide/\(file)"), "the guide does not show Examples/Guide/\(file)")
        }
        #expect(quoted.contains("Tests/WSKitGuideTests/PollTests.swift"))
        #expect(quoted.contains("Tests/WSKitGuideTests/ClientTests.swift"))
    }
}
