/// A failed SQLite call: the result code and SQLite's message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The SQLite result code (`SQLITE_BUSY`, `SQLITE_CANTOPEN`, …).
    public let code: Int32
    /// SQLite's explanation, with what was being done.
    public let message: String

    /// A one-line summary.
    public var description: String { "SQLite error \(code): \(message)" }
}
