import CWSKitShims
import Glibc
import Testing
import WSKitServer
import WSKitLiveFixtures

@Suite("C shim")
struct ShimTests {
    @Test("an eventfd signal makes epoll report the fd readable with its registered data")
    func eventfdWakesEpoll() async throws {
        try await runBlocking {
            let epfd = cwskit_epoll_create()
            let efd = cwskit_eventfd_create()
            defer { close(efd); close(epfd) }
            #expect(cwskit_epoll_add(epfd, efd, UInt32(CWSKIT_EPOLLIN), 0xDEAD_BEEF_0000_0007) == 0)
            var events = [cwskit_epoll_event](repeating: .init(), count: 4)
            #expect(cwskit_epoll_wait(epfd, &events, 4, 0) == 0)
            #expect(cwskit_eventfd_signal(efd) == 0)
            #expect(cwskit_epoll_wait(epfd, &events, 4, 100) == 1)
            #expect(events[0].data == 0xDEAD_BEEF_0000_0007)
            cwskit_eventfd_drain(efd)
            #expect(cwskit_epoll_wait(epfd, &events, 4, 0) == 0)
        }
    }

    @Test("the default loop count is the CPUs the process may run on, so a pinned server runs one loop")
    func availableCoresFollowAffinity() async throws {
        try await runBlocking {
            // runBlocking gives this job its own thread; sched_getaffinity(0) reads the calling
            // thread's mask, so pinning this thread is what `taskset -c 0` does to a process.
            let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            #expect((1 ... online).contains(ServerConfiguration.availableCores))
            #expect(cwskit_pin_thread(0) == 0)
            #expect(ServerConfiguration.availableCores == 1)
            #expect(ServerConfiguration().loopCount == 1)
        }
    }
}
