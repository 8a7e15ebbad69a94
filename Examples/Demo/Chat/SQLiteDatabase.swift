import CSQLite

/// A minimal SQLite connection for the demo's history: open, execute, prepared statements with
/// text and integer bindings. Not thread-safe by itself; ``HistoryStore`` serialises access.
final class SQLiteDatabase {
    private let handle: OpaquePointer

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        handle = db
        // Several demo processes may share one file (`--redis` scale-out on one machine).
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        guard status == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: status, message: message)
        }
    }

    /// Prepares one statement.
    func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw SQLiteError(code: status, message: "\(lastMessage) in \(sql)")
        }
        return Statement(statement, database: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// A prepared statement; finalized when released.
    final class Statement {
        private let handle: OpaquePointer
        private let database: SQLiteDatabase

        fileprivate init(_ handle: OpaquePointer, database: SQLiteDatabase) {
            self.handle = handle
            self.database = database
        }

        deinit { sqlite3_finalize(handle) }

        /// Binds text to the 1-based parameter `index`.
        func bind(_ index: Int32, _ text: String) {
            sqlite3_bind_text(handle, index, text, -1, csqlite_transient())
        }

        /// Binds an integer to the 1-based parameter `index`.
        func bind(_ index: Int32, _ value: Int64) {
            sqlite3_bind_int64(handle, index, value)
        }

        /// Steps once: true while a row is available, false when done.
        func step() throws(SQLiteError) -> Bool {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            case let status: throw SQLiteError(code: status, message: database.lastMessage)
            }
        }

        /// Runs a statement that returns no rows.
        func run() throws(SQLiteError) {
            while try step() {}
        }

        /// The text of column `index` (0-based) of the current row.
        func text(_ index: Int32) -> String {
            guard let pointer = sqlite3_column_text(handle, index) else { return "" }
            return String(cString: pointer)
        }

        /// The integer of column `index` (0-based) of the current row.
        func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    }
}
