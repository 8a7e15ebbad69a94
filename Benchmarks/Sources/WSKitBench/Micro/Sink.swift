/// Keeps results observable so the optimiser cannot drop the measured work.
enum Sink {
    nonisolated(unsafe) static var value = 0

    @inline(never)
    static func consume(_ x: Int) { value &+= x }
}
