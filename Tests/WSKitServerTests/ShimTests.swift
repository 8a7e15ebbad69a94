import CWSKitShims
import Glibc
import Testing
import WSKitTestSupport

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
}
