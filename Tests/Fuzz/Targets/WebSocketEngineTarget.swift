// libFuzzer target: the WebSocket engine in the server or client role, fed an arbitrary byte
// stream in arbitrary chunks. Built into the WSKitProtocol module by Tests/Fuzz/run.sh.
//
// Input: byte 0 picks the role (bit 0) and the chunking; the rest is the stream.
// Oracles: no crash, hang or unbounded memory; every text message is valid UTF-8; no message
// exceeds the limit; `offset` always ends at the end of the chunk; nothing follows a close or
// failure; and the events (with the bytes the engine writes back) are the same whether the
// stream arrives in one piece or in chunks.

private let limits = WebSocketLimits(maxFrameSize: 4096, maxMessageSize: 8192, maxFragments: 16)

private func run(_ stream: [UInt8], role: WebSocketRole, chunking seed: UInt8) -> [UInt8] {
    var engine = WebSocketEngine(role: role, limits: limits, maskingKey: { 0x0102_0304 })
    var output = OutputBuffer()
    // Every event as a tag, a length and its bytes (cheaper to compare than text).
    var events: [UInt8] = []
    func record(_ tag: UInt8, _ payload: UnsafeRawBufferPointer) {
        events.append(tag)
        events.append(UInt8(truncatingIfNeeded: payload.count))
        events.append(UInt8(truncatingIfNeeded: payload.count >> 8))
        events.append(contentsOf: payload)
    }
    var finished = false
    var position = 0
    var step = 0
    while position < stream.count {
        let size = seed == 0 ? stream.count : max(1, (Int(seed) &* (step &+ 3)) % 61)
        step += 1
        let end = min(stream.count, position + size)
        // A fresh buffer per read, as the server's read buffer is reused: the engine may unmask
        // in place, and must have copied whatever it keeps.
        var chunk = Array(stream[position ..< end])
        chunk.withUnsafeMutableBytes { input in
            var offset = 0
            while let event = engine.nextEvent(in: input, offset: &offset, output: &output) {
                precondition(!finished, "an event after close or failure")
                switch event {
                case let .text(payload):
                    precondition(payload.count <= limits.maxMessageSize, "text over the message limit")
                    precondition(String(validating: payload, as: UTF8.self) != nil, "invalid UTF-8 delivered as text")
                    record(1, payload)
                case let .binary(payload):
                    precondition(payload.count <= limits.maxMessageSize, "binary over the message limit")
                    record(2, payload)
                case let .ping(payload):
                    precondition(payload.count <= 125, "control frame over 125 bytes")
                    record(9, payload)
                case let .pong(payload):
                    precondition(payload.count <= 125, "control frame over 125 bytes")
                    record(10, payload)
                case let .close(code, reason):
                    events.append(8)
                    events.append(UInt8(truncatingIfNeeded: code.rawValue >> 8))
                    events.append(UInt8(truncatingIfNeeded: code.rawValue))
                    events.append(contentsOf: reason.utf8)
                    finished = true
                case let .failure(error):
                    events.append(0xFF)
                    events.append(UInt8(truncatingIfNeeded: error.closeCode.rawValue >> 8))
                    events.append(UInt8(truncatingIfNeeded: error.closeCode.rawValue))
                    finished = true
                }
            }
            precondition(offset == input.count, "input left unconsumed")
        }
        position = end
    }
    events.append(0xFE)
    output.withUnsafeReadableBytes { events.append(contentsOf: $0) }
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let role: WebSocketRole = data[0] & 1 == 0 ? .server : .client
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = run(stream, role: role, chunking: 0)
    let chunked = run(stream, role: role, chunking: data[0] | 1)
    precondition(whole == chunked, "chunking changed the events:\n\(whole)\nvs\n\(chunked)")
    return 0
}
