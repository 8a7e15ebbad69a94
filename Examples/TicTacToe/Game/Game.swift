/// One game of tic-tac-toe: the board and whose turn it is. Pure rules, no seats and no I/O;
/// ``Table`` decides who may play which mark.
public struct Game: Sendable, Hashable {
    /// How a game stands.
    public enum Outcome: Sendable, Hashable {
        /// Not over: ``Game/turn`` plays next.
        case playing
        /// `mark` has three in a row on `line` (three cell indexes).
        case won(Mark, line: [Int])
        /// Full board, no line.
        case draw
    }

    /// The 9 cells, row by row (index `row * 3 + column`); `nil` is empty.
    public private(set) var cells: [Mark?] = Array(repeating: nil, count: 9)
    /// Who plays next (meaningless once the game is over).
    public private(set) var turn: Mark
    /// Playing, won or drawn.
    public private(set) var outcome: Outcome = .playing

    /// The 8 lines that win: rows, columns, diagonals.
    static let lines = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]]

    /// An empty board; `starter` plays first.
    public init(starter: Mark = .x) { turn = starter }

    /// Whether the game is over (won or drawn).
    public var isOver: Bool { outcome != .playing }

    /// Puts `mark` in `cell` (0…8), checked in this order: game over, turn, cell taken.
    public mutating func play(_ mark: Mark, at cell: Int) throws(TicTacToeError) {
        guard !isOver else { throw .gameOver }
        guard mark == turn else { throw .notYourTurn }
        guard cells.indices.contains(cell) else { throw .noSuchCell(cell) }
        guard cells[cell] == nil else { throw .cellTaken(cell) }
        cells[cell] = mark
        if let line = Self.lines.first(where: { $0.allSatisfy { cells[$0] == mark } }) {
            outcome = .won(mark, line: line)
        } else if !cells.contains(nil) {
            outcome = .draw
        } else {
            turn = mark.opponent
        }
    }
}
