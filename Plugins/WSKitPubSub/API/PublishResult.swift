/// The outcome of a publish: published (with how many local subscribers it matched), or a typed
/// failure. Publishing never throws.
public enum PublishResult: Sendable, Hashable, CustomStringConvertible {
    /// The message was accepted for delivery.
    case published(PublishReceipt)
    /// Nothing was delivered.
    case failed(PublishError)

    /// Whether the message was published.
    public var isPublished: Bool {
        if case .published = self { return true }
        return false
    }

    /// The local subscribers matched, when published.
    public var matched: Int? {
        if case let .published(receipt) = self { return receipt.matched }
        return nil
    }

    /// The receipt, when published.
    public var receipt: PublishReceipt? {
        if case let .published(receipt) = self { return receipt }
        return nil
    }

    /// The error, when it failed.
    public var error: PublishError? {
        if case let .failed(error) = self { return error }
        return nil
    }

    /// `published(matched: n)` or the error.
    public var description: String {
        switch self {
        case let .published(receipt): "published(matched: \(receipt.matched))"
        case let .failed(error): "failed(\(error))"
        }
    }
}

/// What is known about a published message.
public struct PublishReceipt: Sendable, Hashable {
    /// Subscribers of the topic **on this instance** when it was published, without the excluded
    /// connection (`excludeSelf`) — exact. Subscribers on other instances are not counted.
    public var matched: Int
    /// How many instances the broker handed the message to (Redis' `PUBLISH` reply), when the
    /// adapter knows and the publish waited for it; `nil` otherwise.
    public var instancesReached: Int?
    /// The adapter that carried it (`"memory"`, `"redis"`).
    public var adapter: String

    /// Creates a receipt.
    public init(matched: Int, instancesReached: Int? = nil, adapter: String) {
        self.matched = matched
        self.instancesReached = instancesReached
        self.adapter = adapter
    }
}
