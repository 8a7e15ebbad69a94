/// ALPN's wire format: each protocol name preceded by its length byte.
enum ALPN {
    /// The wire format of `protocols`, or nil if a name is empty or longer than 255 bytes.
    static func wire(_ protocols: [String]) -> [UInt8]? {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard !bytes.isEmpty, bytes.count <= 255 else { return nil }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }
}
