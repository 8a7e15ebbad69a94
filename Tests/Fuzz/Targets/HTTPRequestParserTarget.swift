// libFuzzer target: the server's HTTP upgrade request parser, then the upgrade validation.
// Built into the WSKitProtocol module by Tests/Fuzz/run.sh (internal access).
//
// Oracles: no crash, hang or unbounded buffering; the bytes fed in one piece and in the chunks the
// first input byte chooses give the same outcome; a completed head consumed no more than given.

private func outcome(_ data: [UInt8], chunking seed: UInt8) -> String {
    var parser = HTTPRequestParser(limits: HTTPRequestLimits(maxRequestLineLength: 1024, maxHeaderCount: 32, maxHeadSize: 4096))
    var offset = 0
    var step = 0
    while offset < data.count {
        let size = seed == 0 ? data.count : max(1, (Int(seed) &* (step &+ 7)) % 97)
        step += 1
        let end = min(data.count, offset + size)
        let result = data[offset ..< end].withUnsafeBytes { parser.parse($0) }
        precondition(parser.bufferedByteCount <= 4096, "parser buffered beyond maxHeadSize")
        switch result {
        case .needMoreData:
            offset = end
        case let .complete(head, consumed):
            precondition(consumed >= 0 && consumed <= end - offset, "consumed more than given")
            let verdict: String
            switch WebSocketHandshake.validateUpgrade(head) {
            case let .success(request):
                _ = request.acceptValue
                verdict = "upgrade \(request.path) \(request.subprotocols) \(request.extensions.count)"
            case let .failure(refusal):
                verdict = "refused \(refusal)"
            }
            return "complete \(head.method) \(head.target) \(head.headers.count) at \(offset + consumed): \(verdict)"
        case let .failure(error):
            _ = error.response
            return "failure \(error.status)"
        }
    }
    return "incomplete"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let seed = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = outcome(bytes, chunking: 0)
    let chunked = outcome(bytes, chunking: seed | 1)
    precondition(whole == chunked, "chunking changed the outcome: \(whole) vs \(chunked)")
    return 0
}
