// The canonical copy: Tests/Sanitizers/SanitizerVisibleMutex.swift. Every module that uses
// `Mutex` holds an identical copy (Tests/Sanitizers/mutex-copies.sh lists them and checks them;
// ADR 0091 says why).
import Synchronization

/// `Synchronization.Mutex` with one more atomic, so that ThreadSanitizer sees the lock.
///
/// On Linux the standard library's `Mutex` hands a contended lock over inside the kernel
/// (`futex` priority-inheritance calls), which ThreadSanitizer cannot observe: under contention it
/// reports the data the lock protects as racing. This type shadows `Mutex` inside its module (an
/// unqualified `Mutex` resolves to the module's own type first) with the same `withLock`, and
/// inside the lock loads an atomic with acquire ordering and stores it with release ordering:
/// the happens-before edge ThreadSanitizer needs. On x86-64 and arm64 those are plain loads and
/// stores to a cache line the lock holder already owns.
struct Mutex<Value: ~Copyable>: ~Copyable {
    private let base: Synchronization.Mutex<Value>
    private let handOff = Atomic<UInt>(0)

    /// Creates a lock guarding `initialValue`.
    init(_ initialValue: consuming sending Value) {
        base = Synchronization.Mutex(initialValue)
    }

    /// Runs `body` with exclusive access to the value.
    borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        try base.withLock { (value: inout sending Value) throws(E) -> sending Result in
            _ = handOff.load(ordering: .acquiring)
            defer { handOff.store(0, ordering: .releasing) }
            return try body(&value)
        }
    }
}

extension Mutex: @unchecked Sendable where Value: ~Copyable {}
