/// An incremental RESP2/RESP3 parser: bytes in, complete top-level values out. No I/O.
///
/// Append bytes as they are read (any split is fine, down to one byte at a time), then call
/// `next()` until it returns `nil`. Work is proportional to the bytes appended: an incomplete
/// aggregate keeps its finished elements on a stack, and an incomplete bulk string is only
/// re-examined at its (short) header.
///
/// After a thrown `RESPError` the parser stays failed: every later `next()` throws the same error.
public struct RESPParser: Sendable {
    /// The bounds enforced on the input.
    public let limits: RESPLimits

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var stack: [Frame] = []
    private var failure: RESPError?
    /// Bytes consumed so far by the top-level reply being parsed.
    private var replyBytes = 0

    private enum AggregateKind: Sendable { case array, set, push, map, attribute }

    /// An aggregate whose elements are still arriving.
    private struct Frame: Sendable {
        var kind: AggregateKind
        /// Elements still expected (for maps and attributes: keys plus values).
        var remaining: Int
        var elements: [RedisValue]
    }

    /// One parsed header: a finished scalar, or the start of an aggregate.
    private enum Token {
        case value(RedisValue)
        case aggregate(AggregateKind, count: Int)
        case nullAggregate
    }

    /// Creates a parser enforcing `limits`.
    public init(limits: RESPLimits = .default) {
        self.limits = limits
    }

    /// The number of bytes appended but not yet consumed by a complete value or header.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends bytes read from the server.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes read from the server.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete top-level value, or `nil` when more bytes are needed.
    public mutating func next() throws(RESPError) -> RedisValue? {
        if let failure { throw failure }
        do {
            let value = try parseValue()
            if value == nil {
                compact()
            } else {
                replyBytes = 0
            }
            return value
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
        } else {
            buffer.removeSubrange(0 ..< readIndex)
        }
        readIndex = 0
    }

    private mutating func parseValue() throws(RESPError) -> RedisValue? {
        while true {
            guard let token = try parseToken() else { return nil }
            var finished: RedisValue
            switch token {
            case let .value(value):
                finished = value
            case .nullAggregate:
                finished = .null
            case let .aggregate(kind, count):
                if count > 0 {
                    guard stack.count < limits.maxDepth else { throw .nestingTooDeep(limit: limits.maxDepth) }
                    let expected = kind == .map || kind == .attribute ? count * 2 : count
                    var elements: [RedisValue] = []
                    elements.reserveCapacity(min(expected, 1024))
                    stack.append(Frame(kind: kind, remaining: expected, elements: elements))
                    continue
                }
                if kind == .attribute { continue }
                finished = Self.build(kind, [])
            }
            // Hand the finished value to its parent, closing every aggregate it completes.
            while true {
                guard !stack.isEmpty else { return finished }
                let top = stack.count - 1
                stack[top].elements.append(finished)
                stack[top].remaining -= 1
                if stack[top].remaining > 0 { break }
                let frame = stack.removeLast()
                // An attribute annotates the value that follows it: drop it, and let that value
                // take its place in the parent (or at the top level).
                if frame.kind == .attribute { break }
                finished = Self.build(frame.kind, frame.elements)
            }
        }
    }

    private static func build(_ kind: AggregateKind, _ elements: [RedisValue]) -> RedisValue {
        switch kind {
        case .array: return .array(elements)
        case .set: return .set(elements)
        case .push: return .push(elements)
        case .map, .attribute:
            var pairs: [(key: RedisValue, value: RedisValue)] = []
            pairs.reserveCapacity(elements.count / 2)
            var index = 0
            while index + 1 < elements.count {
                pairs.append((elements[index], elements[index + 1]))
                index += 2
            }
            return .map(pairs)
        }
    }

    /// Parses one header line (plus the payload of a blob type); consumes nothing when incomplete.
    private mutating func parseToken() throws(RESPError) -> Token? {
        guard let lineEnd = try findLineEnd() else { return nil }
        let type = buffer[readIndex]
        let lineStart = readIndex + 1
        let afterLine = lineEnd + 2
        switch type {
        case UInt8(ascii: "+"):
            try consume(to: afterLine)
            return .value(.simpleString(text(lineStart, lineEnd)))
        case UInt8(ascii: "-"):
            try consume(to: afterLine)
            return .value(.error(text(lineStart, lineEnd)))
        case UInt8(ascii: ":"):
            guard let value = integer(lineStart, lineEnd) else { throw invalid(type, lineStart, lineEnd) }
            try consume(to: afterLine)
            return .value(.integer(value))
        case UInt8(ascii: "_"):
            guard lineStart == lineEnd else { throw invalid(type, lineStart, lineEnd) }
            try consume(to: afterLine)
            return .value(.null)
        case UInt8(ascii: "#"):
            guard lineEnd - lineStart == 1, buffer[lineStart] == UInt8(ascii: "t") || buffer[lineStart] == UInt8(ascii: "f") else {
                throw invalid(type, lineStart, lineEnd)
            }
            try consume(to: afterLine)
            return .value(.boolean(buffer[lineStart] == UInt8(ascii: "t")))
        case UInt8(ascii: ","):
            guard let value = double(lineStart, lineEnd) else { throw invalid(type, lineStart, lineEnd) }
            try consume(to: afterLine)
            return .value(.double(value))
        case UInt8(ascii: "("):
            guard isBigNumber(lineStart, lineEnd) else { throw invalid(type, lineStart, lineEnd) }
            try consume(to: afterLine)
            return .value(.bigNumber(text(lineStart, lineEnd)))
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            return try parseBlob(type, lineStart, lineEnd)
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            if lineEnd - lineStart == 1, buffer[lineStart] == UInt8(ascii: "?") { throw .streamedTypeUnsupported }
            guard let count = length(lineStart, lineEnd, allowingNull: type == UInt8(ascii: "*")) else {
                throw invalid(type, lineStart, lineEnd)
            }
            try consume(to: afterLine)
            if count < 0 { return .nullAggregate }
            guard count <= limits.maxAggregateLength else {
                throw .aggregateTooLarge(length: count, limit: limits.maxAggregateLength)
            }
            let kind: AggregateKind = switch type {
            case UInt8(ascii: "~"): .set
            case UInt8(ascii: ">"): .push
            case UInt8(ascii: "%"): .map
            case UInt8(ascii: "|"): .attribute
            default: .array
            }
            return .aggregate(kind, count: count)
        default:
            throw .unknownType(type)
        }
    }

    private mutating func parseBlob(_ type: UInt8, _ lineStart: Int, _ lineEnd: Int) throws(RESPError) -> Token? {
        if lineEnd - lineStart == 1, buffer[lineStart] == UInt8(ascii: "?") { throw .streamedTypeUnsupported }
        guard let count = length(lineStart, lineEnd, allowingNull: type == UInt8(ascii: "$")) else {
            throw invalid(type, lineStart, lineEnd)
        }
        if count < 0 {
            try consume(to: lineEnd + 2)
            return .value(.null)
        }
        guard count <= limits.maxBulkLength else { throw .bulkTooLong(length: count, limit: limits.maxBulkLength) }
        let payloadStart = lineEnd + 2
        let payloadEnd = payloadStart + count
        guard replyBytes + (payloadEnd + 2 - readIndex) <= limits.maxReplyLength else {
            throw .replyTooLarge(limit: limits.maxReplyLength)
        }
        guard buffer.count >= payloadEnd + 2 else { return nil }
        guard buffer[payloadEnd] == 13, buffer[payloadEnd + 1] == 10 else { throw .missingCRLF }
        try consume(to: payloadEnd + 2)
        switch type {
        case UInt8(ascii: "!"):
            return .value(.error(text(payloadStart, payloadEnd)))
        case UInt8(ascii: "="):
            guard count >= 4, buffer[payloadStart + 3] == UInt8(ascii: ":") else { throw .invalidVerbatim }
            return .value(.verbatimString(
                format: text(payloadStart, payloadStart + 3),
                text: Array(buffer[payloadStart + 4 ..< payloadEnd])
            ))
        default:
            return .value(.bulkString(Array(buffer[payloadStart ..< payloadEnd])))
        }
    }

    /// Advances past a complete token, counting its bytes against `maxReplyLength`.
    private mutating func consume(to index: Int) throws(RESPError) {
        replyBytes += index - readIndex
        guard replyBytes <= limits.maxReplyLength else { throw .replyTooLarge(limit: limits.maxReplyLength) }
        readIndex = index
    }

    /// The index of the CR of the line starting at `readIndex`, or `nil` when it is incomplete.
    private func findLineEnd() throws(RESPError) -> Int? {
        let end = buffer.count
        guard readIndex < end else { return nil }
        let limitEnd = min(end, readIndex + 1 + limits.maxLineLength + 1)
        var index = readIndex + 1
        while index < limitEnd {
            if buffer[index] == 13 {
                guard index + 1 < end else { return nil }
                guard buffer[index + 1] == 10 else { throw .missingCRLF }
                return index
            }
            if buffer[index] == 10 { throw .missingCRLF }
            index += 1
        }
        // The whole allowed length was scanned without a CR: this line is too long.
        if limitEnd == readIndex + 2 + limits.maxLineLength {
            throw .lineTooLong(limit: limits.maxLineLength)
        }
        return nil
    }

    private func text(_ start: Int, _ end: Int) -> String {
        buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start ..< end]), as: UTF8.self) }
    }

    private func invalid(_ type: UInt8, _ start: Int, _ end: Int) -> RESPError {
        .invalidLine(type: type, line: text(start, end))
    }

    /// A decimal Int64 with an optional sign; `nil` on any other byte, no digits, or overflow.
    private func integer(_ start: Int, _ end: Int) -> Int64? {
        var index = start
        var negative = false
        if index < end, buffer[index] == UInt8(ascii: "-") || buffer[index] == UInt8(ascii: "+") {
            negative = buffer[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < end, end - index <= 19 else { return nil }
        var value: Int64 = 0
        while index < end {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            // Accumulate negatively so that Int64.min parses.
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// A length: a non-negative decimal, or `-1` where `allowingNull`.
    private func length(_ start: Int, _ end: Int, allowingNull: Bool) -> Int? {
        if end - start == 2, buffer[start] == UInt8(ascii: "-"), buffer[start + 1] == UInt8(ascii: "1") {
            return allowingNull ? -1 : nil
        }
        guard start < end, buffer[start] != UInt8(ascii: "-"), buffer[start] != UInt8(ascii: "+"),
              let value = integer(start, end) else { return nil }
        return Int(value)
    }

    private func double(_ start: Int, _ end: Int) -> Double? {
        guard start < end else { return nil }
        for index in start ..< end {
            switch buffer[index] {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f"),
                 UInt8(ascii: "a"):
                continue
            default:
                return nil
            }
        }
        return Double(text(start, end))
    }

    private func isBigNumber(_ start: Int, _ end: Int) -> Bool {
        var index = start
        if index < end, buffer[index] == UInt8(ascii: "-") || buffer[index] == UInt8(ascii: "+") { index += 1 }
        guard index < end else { return false }
        while index < end {
            guard buffer[index] &- UInt8(ascii: "0") < 10 else { return false }
            index += 1
        }
        return true
    }
}
