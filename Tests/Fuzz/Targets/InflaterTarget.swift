// libFuzzer target: the permessage-deflate inflater (PerMessageDeflate.decode over zlib), fed
// arbitrary compressed messages in arbitrary fragments. Built into the WSKitProtocol module by
// Tests/Fuzz/run.sh.
//
// Input: byte 0 chooses the fragmentation, byte 1 the configuration (bits 0-2: window bits 8...15,
// bits 3-4: the message size limit, bit 5: no context takeover, bit 6: the thread's shared
// streams, bit 7: client role); the rest is a sequence of messages, each a 2-byte little-endian
// length and that many bytes of compressed data (the last one takes what is left).
//
// Oracles: no crash, hang or unbounded memory; the inflated bytes never exceed the limit, and the
// output block never grows past it; the messages (and the error, if any) are the same whether each
// message arrives in one frame or in fragments; an inflater that failed stays failed.
//
// One difference is zlib's and allowed (docs/reliability.md, ADR 0096): zlib checks a match's
// distance against the bytes it holds (its window plus the output of the current call), not against
// the agreed window, so a peer that reaches back further than it agreed is refused ("invalid
// distance too far back", 1007) or tolerated depending on how much output one call had room for.

/// `precondition` without its message in -O builds; this keeps it.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

private let maxSizes = [0, 100, 4096, 65536]

/// "again", compressed (raw deflate, sync flush, tail removed): inflates on any fresh stream.
private let validMessage: [UInt8] = [74, 76, 79, 204, 204, 3, 0]

private struct Outcome: Equatable {
    var messages: [[UInt8]] = []
    var error: String?
}

private func messages(in bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var result: [ArraySlice<UInt8>] = []
    var position = bytes.startIndex
    while position < bytes.endIndex {
        guard bytes.endIndex - position >= 2 else {
            result.append(bytes[position...])
            break
        }
        let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
        let start = position + 2
        let end = min(bytes.endIndex, start + length)
        result.append(bytes[start ..< end])
        position = end
    }
    return result
}

/// Decodes one piece, copied into a heap block of exactly its size (so AddressSanitizer sees any
/// read past it); the error, if any. (No typed-throws closure: Swift 6.3.1's optimizer crashed
/// inlining one into `run`.)
@inline(never)
private func decode(
    _ deflate: inout PerMessageDeflate, _ piece: ArraySlice<UInt8>, isLast: Bool, maxSize: Int,
    into output: inout WebSocketExtensionOutput
) -> WebSocketProtocolError? {
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: piece.count, alignment: 1)
    defer { bytes.deallocate() }
    bytes.copyBytes(from: piece)
    do {
        try deflate.decode(
            fragment: UnsafeRawBufferPointer(bytes), isLast: isLast, opcode: .binary, rsv: 0x40, maxSize: maxSize,
            into: &output)
        return nil
    } catch {
        return error
    }
}

private func run(_ messages: [ArraySlice<UInt8>], configuration: UInt8, chunking seed: UInt8) -> Outcome {
    let windowBits = 8 + Int(configuration & 7)
    let maxSize = maxSizes[Int(configuration >> 3) & 3]
    let noTakeover = configuration & 0x20 != 0
    let parameters = PerMessageDeflateParameters(
        serverNoContextTakeover: noTakeover, clientNoContextTakeover: noTakeover,
        serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits)
    let streams = configuration & 0x40 != 0 ? PerMessageDeflateStreams() : nil
    var deflate = PerMessageDeflate(
        parameters: parameters, role: configuration & 0x80 != 0 ? .client : .server, streams: streams)
    var outcome = Outcome()
    var output = WebSocketExtensionOutput()
    var step = 0
    for message in messages {
        output.removeAll(retainingCapacity: 0)
        var position = message.startIndex
        var failure: WebSocketProtocolError?
        repeat {
            // The whole message at once, or fragments of 1...52 bytes with an empty one every third.
            let size = seed == 0 ? message.count : step % 3 == 2 ? 0 : max(1, (Int(seed) &* (step &+ 5)) % 53)
            step += 1
            let end = min(message.endIndex, position + size)
            failure = decode(&deflate, message[position ..< end], isLast: end == message.endIndex, maxSize: maxSize, into: &output)
            position = end
            check(output.buffer.capacity <= maxSize + 1, "output block \(output.buffer.capacity) bytes, limit \(maxSize)")
            if failure == nil {
                check(output.count <= maxSize, "inflated \(output.count) bytes, limit \(maxSize)")
            }
        } while failure == nil && position < message.endIndex
        guard let failure else {
            outcome.messages.append(Array(output.bytes))
            continue
        }
        check(failure.closeCode == .messageTooBig || failure.closeCode == .invalidFramePayloadData,
                     "unexpected close code \(failure.closeCode.rawValue)")
        outcome.error = "\(failure.closeCode.rawValue) \(failure.reason)"
        // Failed stays failed: neither more of this stream nor a new message inflates, not even
        // valid data that any fresh stream would inflate.
        for isLast in [false, true] {
            var more = WebSocketExtensionOutput()
            let result = decode(&deflate, validMessage[...], isLast: isLast, maxSize: 65536, into: &more)
            check(result != nil && more.count == 0, "a failed inflater inflated again")
        }
        return outcome
    }
    return outcome
}

/// Equal, or equal up to a message one side refused for reaching back past the agreed window.
private func agree(_ a: Outcome, _ b: Outcome) -> Bool {
    if a == b { return true }
    for (failed, other) in [(a, b), (b, a)] {
        guard let error = failed.error, error.hasSuffix("invalid distance too far back") else { continue }
        if failed.messages.count <= other.messages.count,
           Array(other.messages.prefix(failed.messages.count)) == failed.messages
        {
            return true
        }
    }
    return false
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflater(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = messages(in: bytes[2...])
    let whole = run(parts, configuration: bytes[1], chunking: 0)
    let fragmented = run(parts, configuration: bytes[1], chunking: bytes[0] | 1)
    check(agree(whole, fragmented), "fragmentation changed the outcome:\n\(whole)\nvs\n\(fragmented)")
    return 0
}
