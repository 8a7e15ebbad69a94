import CSQLite
import Glibc
import Synchronization

/// The chat history in SQLite: one `messages` table keyed by room. Survives restarts; several
/// processes may share one file (SQLite locks it; writers wait up to 5 s).
///
/// Calls are synchronous and short (WAL journal, one statement each), so handlers make them on
/// their event loop: a message is stored before it is pushed to anyone.
public final class HistoryStore: Sendable {
    /// The database file.
    public let path: String
    private let database: Mutex<SQLiteDatabase>

    /// The default file, relative to the working directory.
    public static let defaultPath = "./data/chat.sqlite"

    /// Opens (creating the file, its directory and the table if needed) the store at `path`.
    public init(path: String = HistoryStore.defaultPath) throws(SQLiteError) {
        self.path = path
        try Self.makeParentDirectory(of: path)
        let db = try SQLiteDatabase(path: path)
        try db.execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                room_id TEXT NOT NULL,
                ts INTEGER NOT NULL,
                user_id TEXT NOT NULL,
                display_name TEXT NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room_id, seq);
            """)
        database = Mutex(db)
    }

    /// Stores a row at the end of `room`'s history.
    public func append(_ row: ChatRow, room: String) throws(SQLiteError) {
        try database.withLock { (db) throws(SQLiteError) in
            let insert = try db.prepare(
                "INSERT INTO messages (id, room_id, ts, user_id, display_name, text) VALUES (?, ?, ?, ?, ?, ?)")
            insert.bind(1, row.id)
            insert.bind(2, room)
            insert.bind(3, row.ts)
            insert.bind(4, row.userId)
            insert.bind(5, row.displayName)
            insert.bind(6, row.text)
            try insert.run()
        }
    }

    /// The last `limit` rows of `room`, oldest first.
    public func list(room: String, limit: Int) throws(SQLiteError) -> [ChatRow] {
        try database.withLock { (db) throws(SQLiteError) -> [ChatRow] in
            let select = try db.prepare("""
                SELECT id, ts, user_id, display_name, text FROM (
                    SELECT seq, id, ts, user_id, display_name, text FROM messages
                    WHERE room_id = ? ORDER BY seq DESC LIMIT ?
                ) ORDER BY seq ASC
                """)
            select.bind(1, room)
            select.bind(2, Int64(max(0, limit)))
            var rows: [ChatRow] = []
            while try select.step() {
                rows.append(ChatRow(
                    id: select.text(0), ts: select.int64(1), userId: select.text(2),
                    displayName: select.text(3), text: select.text(4)))
            }
            return rows
        }
    }

    /// Deletes `room`'s history; returns how many rows were removed.
    @discardableResult
    public func clear(room: String) throws(SQLiteError) -> Int {
        try database.withLock { (db) throws(SQLiteError) -> Int in
            let delete = try db.prepare("DELETE FROM messages WHERE room_id = ?")
            delete.bind(1, room)
            try delete.run()
            return db.changes
        }
    }

    /// `mkdir -p` of the file's directory.
    private static func makeParentDirectory(of path: String) throws(SQLiteError) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        guard !directory.isEmpty else { return }
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create \(prefix): errno \(errno)")
            }
        }
    }
}
