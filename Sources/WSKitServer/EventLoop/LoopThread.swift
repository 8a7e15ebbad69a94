import CWSKitShims

/// A pthread running one closure; joined by `join()`.
struct LoopThread: Sendable {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private let handle: UInt

    /// Starts a thread running `body`.
    init(_ body: @escaping @Sendable () -> Void) throws(ServerError) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle: UInt = 0
        let result = cwskit_thread_start({ context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context, &handle)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw ServerError.system("pthread_create", result)
        }
        self.handle = handle
    }

    /// Waits for the thread to finish.
    func join() { _ = cwskit_thread_join(handle) }
}
