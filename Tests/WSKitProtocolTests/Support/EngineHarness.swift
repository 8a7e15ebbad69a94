import Synchronization
@testable import WSKitProtocol

/// An engine event with its payload copied out, so tests can compare events after the engine
/// (or the read buffer) has moved on.
enum OwnedEvent: Equatable, CustomStringConvertible {
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    case close(UInt16, String)
    /// A failure, by close code; the reason is kept in `EngineHarness.errors`.
    case failure(UInt16)

    init(_ event: WebSocketEvent) {
        switch event {
        case .text(let p): self = .text(String(decoding: p, as: UTF8.self))
        case .binary(let p): self = .binary(Array(p))
        case .ping(let p): self = .ping(Array(p))
        case .pong(let p): self = .pong(Array(p))
        case .close(let code, let reason): self = .close(code.rawValue, reason)
        case .failure(let error): self = .failure(error.closeCode.rawValue)
        }
    }

    var description: String {
        switch self {
        case .text(let s): "text(\(s.utf8.count) bytes: \(s.prefix(40).debugDescription))"
        case .binary(let b): "binary(\(b.count) bytes)"
        case .ping(let b): "ping(\(b))"
        case .pong(let b): "pong(\(b))"
        case .close(let code, let reason): "close(\(code), \(reason.debugDescription))"
        case .failure(let code): "failure(\(code))"
        }
    }
}

/// Masking keys handed out in order (then repeating the last), for byte-exact client output.
final class KeySequence: Sendable {
    let keys: [UInt32]
    let next = Atomic<Int>(0)
    init(_ keys: [UInt32]) { self.keys = keys }
    func take() -> UInt32 {
        let index = next.add(1, ordering: .relaxed).oldValue
        return keys[min(index, keys.count - 1)]
    }
}

/// Drives one engine: feeds byte arrays as if they were reads, collects owned events and the
/// bytes the engine wrote.
struct EngineHarness {
    var engine: WebSocketEngine
    var output = OutputBuffer()
    /// Every failure reported, with its reason.
    var errors: [WebSocketProtocolError] = []
    /// Whether each whole-message payload pointed into the read buffer (zero-copy delivery).
    var deliveredInPlace: [Bool] = []

    init(
        _ role: WebSocketRole,
        limits: WebSocketLimits = .default,
        extensions: [any WebSocketExtension] = [],
        keys: [UInt32] = [0x37FA_213D]
    ) {
        let sequence = KeySequence(keys)
        engine = WebSocketEngine(role: role, limits: limits, extensions: extensions, maskingKey: { sequence.take() })
    }

    static func server(limits: WebSocketLimits = .default, extensions: [any WebSocketExtension] = []) -> EngineHarness {
        EngineHarness(.server, limits: limits, extensions: extensions)
    }

    static func client(limits: WebSocketLimits = .default, keys: [UInt32] = [0x37FA_213D]) -> EngineHarness {
        EngineHarness(.client, limits: limits, keys: keys)
    }

    /// Feeds `bytes` as one read, or as reads of `chunkSize` bytes; returns the events.
    /// Each read buffer is scribbled over after use, as a reused read buffer would be.
    mutating func feed(_ bytes: [UInt8], chunkSize: Int? = nil) -> [OwnedEvent] {
        let size = max(1, chunkSize ?? max(bytes.count, 1))
        var events: [OwnedEvent] = []
        var start = 0
        repeat {
            let end = min(start + size, bytes.count)
            events += feedOneRead(Array(bytes[start ..< end]))
            start = end
        } while start < bytes.count
        return events
    }

    /// Feeds each array as one read.
    mutating func feed(reads: [[UInt8]]) -> [OwnedEvent] {
        reads.flatMap { feedOneRead($0) }
    }

    private mutating func feedOneRead(_ read: [UInt8]) -> [OwnedEvent] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: read.count, alignment: 1)
        defer {
            buffer.initializeMemory(as: UInt8.self, repeating: 0xEE)
            buffer.deallocate()
        }
        buffer.copyBytes(from: read)
        var events: [OwnedEvent] = []
        var offset = 0
        while let event = engine.nextEvent(in: buffer, offset: &offset, output: &output) {
            switch event {
            case .text(let p), .binary(let p):
                deliveredInPlace.append(p.count > 0 && buffer.baseAddress.map { base in
                    p.baseAddress! >= UnsafeRawPointer(base) && p.baseAddress! + p.count <= UnsafeRawPointer(base + buffer.count)
                } ?? false)
            case .failure(let error):
                errors.append(error)
            default:
                break
            }
            events.append(OwnedEvent(event))
            precondition(events.count < 100_000, "runaway event loop")
        }
        precondition(offset == read.count, "nextEvent returned nil before consuming the read")
        return events
    }

    /// The bytes written so far, consuming them.
    mutating func takeOutput() -> [UInt8] {
        let bytes = output.bytes
        output.consume(bytes.count)
        return bytes
    }
}

// MARK: Building frames independently of the engine's encoder

/// The RFC 6455 §5.7 example masking key, bytes `37 fa 21 3d`.
let exampleKey: UInt32 = 0x37FA_213D

/// Encodes a frame byte by byte (a reference implementation for tests).
func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, mask: UInt32? = nil) -> [UInt8] {
    var out: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
    let maskBit: UInt8 = mask == nil ? 0 : 0x80
    let count = payload.count
    if count < 126 {
        out.append(maskBit | UInt8(count))
    } else if count <= 0xFFFF {
        out += [maskBit | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
    } else {
        out.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((count >> shift) & 0xFF)) }
    }
    if let mask {
        let key = [UInt8(mask >> 24), UInt8((mask >> 16) & 0xFF), UInt8((mask >> 8) & 0xFF), UInt8(mask & 0xFF)]
        out += key
        out += payload.enumerated().map { $1 ^ key[$0 % 4] }
    } else {
        out += payload
    }
    return out
}

/// A frame as a client sends it (masked with the example key), for feeding a server engine.
func clientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, mask: UInt32 = exampleKey) -> [UInt8] {
    frame(opcode.rawValue, payload, fin: fin, rsv: rsv, mask: mask)
}

/// A frame as a client sends it, with a UTF-8 payload.
func clientFrame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin, rsv: rsv)
}

/// A frame as a server sends it (unmasked).
func serverFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
    frame(opcode.rawValue, payload, fin: fin, rsv: rsv)
}

/// The body of a close frame: the code, big-endian, then the reason.
func closeBody(_ code: UInt16, _ reason: String = "") -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
}

/// Bytes from a hex string such as "81 05 48 65".
func hex(_ string: String) -> [UInt8] {
    string.split(separator: " ").map { UInt8($0, radix: 16)! }
}

extension EngineHarness {
    /// The unmasked close frame a server engine sends when it fails with `error`.
    static func failureClose(_ error: WebSocketProtocolError) -> [UInt8] {
        serverFrame(.close, closeBody(error.closeCode.rawValue, error.reason))
    }

    /// Asserts-friendly: the close code in an unmasked close frame at the start of `bytes`.
    static func closeCode(in bytes: [UInt8]) -> UInt16? {
        guard bytes.count >= 4, bytes[0] == 0x88 else { return nil }
        return UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }
}
