/// A first-in first-out queue with O(1) amortised push and pop and in-place access by position.
struct RedisFIFO<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    /// Positions of the live elements, oldest first.
    var indices: Range<Int> { head ..< storage.count }

    var first: Element? { isEmpty ? nil : storage[head] }

    subscript(position: Int) -> Element {
        get { storage[position] }
        set { storage[position] = newValue }
    }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 4096)
            head = 0
        } else if head >= 1024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}

extension RedisFIFO: Sendable where Element: Sendable {}
