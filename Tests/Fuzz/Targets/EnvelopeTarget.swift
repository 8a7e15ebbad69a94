// libFuzzer target: the JSON envelope parser and its validation. Built into the WSKitContract
// module by Tests/Fuzz/run.sh.
//
// Oracles: no crash, hang or unbounded recursion (depth limits); the fast path (`Envelope.parse`)
// and the general path (`JSON.parse` then `Envelope(validating:)`) agree on accept or refuse and
// on the envelope; an accepted envelope serializes to JSON that parses back to itself; meta
// validation never crashes.

private let limits = JSONLimits.default

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let fast: Envelope?
    do { fast = try Envelope.parse(bytes, limits: limits) } catch { fast = nil }
    var general: Envelope?
    if let root = try? JSON.parse(bytes, limits: limits) {
        general = try? Envelope(validating: root)
        // Any parsed value serializes to JSON that parses back to an equal value.
        let text = JSON.serialize(root)
        precondition((try? JSON.parse(text, limits: .unlimited)) == root, "serialized JSON does not parse back to itself")
    }
    precondition(fast == general, "fast and general paths disagree: \(String(describing: fast)) vs \(String(describing: general))")
    if let envelope = fast {
        _ = envelope.validateMeta()
        _ = envelope.unknownMetaKeys()
        let again = try? Envelope.parse(envelope.serialized(), limits: limits)
        precondition(again == envelope, "serialize/parse round trip changed the envelope")
    }
    return 0
}
