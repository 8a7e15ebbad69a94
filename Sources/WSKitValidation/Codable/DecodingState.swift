import WSKitContract

/// What one validation run shares across its decoders: the base path and the issues found.
final class DecodingState {
    let basePath: JSONPath
    var issues: [ValidationIssue] = []

    init(basePath: JSONPath) { self.basePath = basePath }
}

/// Thrown when a value cannot be decoded and no placeholder can stand in for it, so the run stops
/// (every issue found so far has been recorded).
struct UnrecoverableDecoding: Error {}
