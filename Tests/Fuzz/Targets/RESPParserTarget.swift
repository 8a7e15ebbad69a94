// libFuzzer target: the RESP2/RESP3 parser of the Redis client. Built into the WSKitRedis module
// by Tests/Fuzz/run.sh.
//
// Oracles: no crash, hang or unbounded memory (limits); the values (and the error, if any) are the
// same whether the bytes arrive in one piece or in chunks; a failed parser stays failed.

private let limits = RESPLimits.default

private func run(_ bytes: [UInt8], chunking seed: UInt8) -> [String] {
    var parser = RESPParser(limits: limits)
    var results: [String] = []
    var position = 0
    var step = 0
    repeat {
        let size = seed == 0 ? bytes.count : max(1, (Int(seed) &* (step &+ 5)) % 53)
        step += 1
        let end = min(bytes.count, position + size)
        parser.append(bytes[position ..< end])
        position = end
        do {
            while let value = try parser.next() { results.append(String(describing: value)) }
        } catch {
            results.append("error \(error)")
            var failedAgain = false
            do { _ = try parser.next() } catch { failedAgain = true }
            precondition(failedAgain, "a failed parser parsed again")
            return results
        }
    } while position < bytes.count
    return results
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = run(bytes, chunking: 0)
    let chunked = run(bytes, chunking: data[0] | 1)
    precondition(whole == chunked, "chunking changed the values:\n\(whole)\nvs\n\(chunked)")
    return 0
}
