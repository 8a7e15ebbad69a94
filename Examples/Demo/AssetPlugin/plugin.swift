import Foundation
import PackagePlugin

/// Embeds Examples/Demo/Public (the page, its script and style, the browser client and its
/// TypeScript declarations) into the demo's library as `EmbeddedAssets`, rebuilt whenever one of
/// the files changes.
@main
struct EmbedDemoAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let embedder = try context.tool(named: "WSKitDemoAssetEmbedder")
        let directory = context.package.directoryURL.appending(path: "Examples/Demo/Public")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") }
            .sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding the demo's web assets",
                executable: embedder.url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
