import WSKit

/// One instrument's price at one moment of the feed.
public struct Quote: Codable, Sendable, Equatable {
    /// The instrument, e.g. `"AAPL"`.
    public var symbol: String
    /// The price in cents.
    public var price: Int
    /// The feed's sequence number of this update: strictly increasing across all symbols, so a
    /// client can tell a newer value from an older one.
    public var seq: Int
    /// When the feed produced it (milliseconds since 1970, the server's clock).
    public var at: Int

    /// A quote.
    public init(symbol: String, price: Int, seq: Int, at: Int) {
        self.symbol = symbol
        self.price = price
        self.seq = seq
        self.at = at
    }
}

/// Push: updates for the client, oldest first. A client that keeps up gets every update; one
/// that fell behind gets the latest value per symbol, and `skipped` counts the updates that were
/// replaced by a newer value of the same symbol while it could not take them.
public struct Ticks: Message {
    /// The updates and how many were coalesced away.
    public struct Payload: Codable, Sendable, Equatable {
        /// The updates, in feed order (at most one per symbol when `skipped > 0`).
        public var quotes: [Quote]
        /// Updates replaced by newer ones of the same symbol since the previous `TICKS`.
        public var skipped: Int

        /// A payload.
        public init(quotes: [Quote], skipped: Int) {
            self.quotes = quotes
            self.skipped = skipped
        }
    }

    public static let type = "TICKS"
}

/// Message: change the feed's rate (updates per second, shared by everyone). The page throttles
/// its slider; the server rate-limits the message anyway.
public struct SetRate: Message {
    /// The new rate.
    public struct Payload: Codable, Sendable {
        /// Updates per second.
        @InRange(0...50_000) public var perSecond = 0

        /// A payload.
        public init(perSecond: Int) { self.perSecond = perSecond }
    }

    public static let type = "SET_RATE"
}

/// Push: the feed's rate, on connect and whenever it changes.
public struct FeedRate: Message {
    /// The rate.
    public struct Payload: Codable, Sendable, Equatable {
        /// Updates per second.
        public var perSecond: Int
        /// Instruments in the feed.
        public var symbols: Int

        /// A payload.
        public init(perSecond: Int, symbols: Int) {
            self.perSecond = perSecond
            self.symbols = symbols
        }
    }

    public static let type = "FEED_RATE"
}
