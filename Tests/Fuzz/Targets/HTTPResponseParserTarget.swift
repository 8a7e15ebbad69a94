// libFuzzer target: the client's HTTP upgrade response parser, then the handshake validation.
// Built into the WSKitProtocol module by Tests/Fuzz/run.sh.
//
// Oracles: no crash or hang; one piece and arbitrary chunks give the same outcome.

private let handshake = WebSocketClientHandshake(host: "127.0.0.1:9001", target: "/", key: "dGhlIHNhbXBsZSBub25jZQ==")

private func outcome(_ data: [UInt8], chunking seed: UInt8) -> String {
    var parser = HTTPResponseParser(limits: HTTPRequestLimits(maxRequestLineLength: 1024, maxHeaderCount: 32, maxHeadSize: 4096))
    var offset = 0
    var step = 0
    while offset < data.count {
        let size = seed == 0 ? data.count : max(1, (Int(seed) &* (step &+ 7)) % 97)
        step += 1
        let end = min(data.count, offset + size)
        switch data[offset ..< end].withUnsafeBytes({ parser.parse($0) }) {
        case .needMoreData:
            offset = end
        case let .complete(head, consumed):
            precondition(consumed >= 0 && consumed <= end - offset, "consumed more than given")
            let verdict: String
            switch handshake.validate(response: head) {
            case let .success(accepted): verdict = "accepted \(accepted.subprotocol ?? "-") \(accepted.extensions.count)"
            case let .failure(error): verdict = "rejected \(error)"
            }
            return "complete \(head.status) at \(offset + consumed): \(verdict)"
        case let .failure(error):
            return "failure \(error.status)"
        }
    }
    return "incomplete"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponseParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let seed = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = outcome(bytes, chunking: 0)
    let chunked = outcome(bytes, chunking: seed | 1)
    precondition(whole == chunked, "chunking changed the outcome: \(whole) vs \(chunked)")
    return 0
}
