import Glibc

/// Runs async work from synchronous code: the main thread waits on a semaphore while a task runs.
///
/// wskit-bench's main is synchronous on purpose: an `async` main parks the main thread in
/// `sigsuspend` (libdispatch's main queue), which valgrind's callgrind does not survive.
func runBlocking(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
    final class Box: @unchecked Sendable {
        let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        var status: Int32 = 0
        init() { sem_init(semaphore, 0, 0) }
        deinit {
            sem_destroy(semaphore)
            semaphore.deallocate()
        }
    }
    let box = Box()
    Task {
        box.status = await body()
        sem_post(box.semaphore)
    }
    while sem_wait(box.semaphore) != 0 && errno == EINTR {}
    return box.status
}
