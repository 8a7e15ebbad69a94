/// Finds where an HTTP/1.1 head ends in a stream of reads, enforcing the size limits as it goes,
/// and buffers only when a head is split across reads. Shared by the request and response parsers.
///
/// Lines must end with CRLF; a bare LF fails at once with `.bareLineFeed` (a bare CR is left to
/// the line parsers, which reject it as a control character). Empty lines before the start line
/// are skipped (RFC 9112 §2.2).
struct HTTPHeadFramer: Sendable {
    /// What became of the bytes fed so far.
    enum Outcome<Head> {
        case needMoreData
        case complete(Head, consumed: Int)
        case failure(HTTPParseError)
    }

    /// Line-scanning state over a buffer whose index 0 is the first byte of the head.
    private struct Scanner: Sendable {
        enum Step {
            case needMoreData
            case complete(headStart: Int, headEnd: Int)
            case failure(HTTPParseError)
        }

        var lineStart = 0
        var scanned = 0
        var lineCount = 0

        mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPRequestLimits, headStart: inout Int) -> Step {
            var position = scanned
            let count = bytes.count
            while let lf = HTTPSyntax.firstIndex(of: HTTPSyntax.lf, in: bytes, from: position, to: count) {
                // The size limits first, as the check after the loop applies them to bytes that
                // have no line feed yet: the outcome must not depend on where reads split the
                // head (found by fuzzing: a long start line ending in a bare LF was 400 in one
                // read and 414 in several).
                if lineCount == 0, lf &- lineStart > limits.maxRequestLineLength &+ 1 { return .failure(.requestLineTooLong) }
                if lf > limits.maxHeadSize { return .failure(.headTooLarge) }
                guard lf > lineStart, bytes[lf &- 1] == HTTPSyntax.cr else { return .failure(.bareLineFeed) }
                let lineLength = lf &- 1 &- lineStart
                if lineCount == 0 {
                    if lineLength > limits.maxRequestLineLength { return .failure(.requestLineTooLong) }
                } else if lineLength != 0, lineCount > limits.maxHeaderCount {
                    return .failure(.tooManyHeaders)
                }
                if lf &+ 1 > limits.maxHeadSize { return .failure(.headTooLarge) }
                if lineLength == 0 {
                    if lineCount != 0 { return .complete(headStart: headStart, headEnd: lf &+ 1) }
                    headStart = lf &+ 1 // an empty line before the start line
                } else {
                    lineCount &+= 1
                }
                lineStart = lf &+ 1
                position = lineStart
            }
            scanned = count
            if lineCount == 0, count &- lineStart > limits.maxRequestLineLength &+ 1 { return .failure(.requestLineTooLong) }
            if count > limits.maxHeadSize { return .failure(.headTooLarge) }
            return .needMoreData
        }
    }

    /// The limits in force.
    let limits: HTTPRequestLimits
    private var scanner = Scanner()
    private var headStart = 0
    private var buffer: [UInt8] = []
    private var failure: HTTPParseError?

    init(limits: HTTPRequestLimits) { self.limits = limits }

    /// Bytes held from earlier reads (a head split across reads).
    var bufferedByteCount: Int { buffer.count }

    /// Forgets everything fed so far, including a failure.
    mutating func reset() {
        scanner = Scanner()
        headStart = 0
        buffer = []
        failure = nil
    }

    /// Feeds one read. When the head is complete, `parseHead` gets its bytes from the start line
    /// through the empty line, and the framer resets so it can frame another head. A failure is
    /// sticky until `reset()`.
    mutating func feed<Head>(
        _ bytes: UnsafeRawBufferPointer,
        _ parseHead: (UnsafeRawBufferPointer) -> Result<Head, HTTPParseError>
    ) -> Outcome<Head> {
        if let failure { return .failure(failure) }
        if buffer.isEmpty {
            // Common case: nothing buffered, scan the caller's bytes in place.
            switch scanner.scan(bytes, limits: limits, headStart: &headStart) {
            case .complete(let start, let end):
                let result = parseHead(UnsafeRawBufferPointer(rebasing: bytes[start ..< end]))
                return finish(result, consumed: end)
            case .failure(let error):
                failure = error
                return .failure(error)
            case .needMoreData:
                buffer.reserveCapacity(max(bytes.count &* 2, 1024))
                buffer.append(contentsOf: bytes)
                return .needMoreData
            }
        }
        // Split head: append no more than a head can still use, then continue scanning.
        let previous = buffer.count
        let take = min(bytes.count, limits.maxHeadSize &+ 1 &- previous)
        if take > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0 ..< take])) }
        let snapshot = buffer
        return snapshot.withUnsafeBytes { all in
            switch scanner.scan(all, limits: limits, headStart: &headStart) {
            case .complete(let start, let end):
                let result = parseHead(UnsafeRawBufferPointer(rebasing: all[start ..< end]))
                return finish(result, consumed: end &- previous)
            case .failure(let error):
                failure = error
                return .failure(error)
            case .needMoreData:
                return .needMoreData
            }
        }
    }

    private mutating func finish<Head>(_ result: Result<Head, HTTPParseError>, consumed: Int) -> Outcome<Head> {
        switch result {
        case .success(let head):
            reset()
            return .complete(head, consumed: consumed)
        case .failure(let error):
            failure = error
            return .failure(error)
        }
    }
}
