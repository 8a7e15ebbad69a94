import Testing
@testable import WSKitProtocol

@Suite("OutputBuffer")
struct OutputBufferTests {
    @Test("bytes appended come out in order and partial consumption keeps the rest")
    func appendAndConsume() {
        var buffer = OutputBuffer()
        buffer.append(contentsOf: [1, 2, 3])
        buffer.append(utf8: "ab")
        #expect(buffer.bytes == [1, 2, 3, 0x61, 0x62])
        buffer.consume(2)
        #expect(buffer.count == 3)
        #expect(buffer.bytes == [3, 0x61, 0x62])
        buffer.consume(3)
        #expect(buffer.isEmpty)
    }

    @Test("a burst larger than the retained capacity is freed once written")
    func releasesLargeStorage() {
        var buffer = OutputBuffer()
        buffer.append(contentsOf: [UInt8](repeating: 7, count: 100_000))
        buffer.consume(100_000, retainedCapacity: 1024)
        #expect(buffer.isEmpty)
        #expect(buffer.capacity == 0)
    }

    @Test("bytes written through appendWithUnsafeBytes are appended")
    func appendInPlace() {
        var buffer = OutputBuffer()
        buffer.append(9)
        buffer.appendWithUnsafeBytes(count: 2) { raw in raw[0] = 4; raw[1] = 5 }
        #expect(buffer.bytes == [9, 4, 5])
    }
}
