/// Board names: 1…32 letters, digits, `-` or `_` — safe in a URL, a path and a topic as they are.
public enum BoardRoomName {
    /// The longest name.
    public static let maxLength = 32

    /// Whether `name` is a valid board name.
    public static func isValid(_ name: some StringProtocol) -> Bool {
        (1...maxLength).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// The pub/sub topic of a board.
    public static func topic(_ room: String) -> String { "board." + room }
}
