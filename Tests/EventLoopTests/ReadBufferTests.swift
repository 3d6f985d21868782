// ReadBufferTests.swift: the cursor buffer: consume, free reset when empty,
// compaction only when the tail is short, growth, shrink, and socket reads.

import Glibc
import Testing
@testable import EventLoop

@Suite struct ReadBufferTests {
    private func contents(_ buffer: ReadBuffer) -> [UInt8] {
        buffer.withReadableBytes { Array($0) }
    }

    @Test func consumingEverythingResetsTheCursorsWithoutMovingBytes() {
        var buffer = ReadBuffer(initialCapacity: 64)
        buffer.append(Pattern.bytes(count: 40))
        buffer.consume(10)
        #expect(buffer.start == 10 && buffer.end == 40)
        #expect(contents(buffer) == Pattern.bytes(count: 30, startingAt: 10))
        buffer.consume(30)
        #expect(buffer.isEmpty && buffer.start == 0 && buffer.end == 0)
    }

    @Test func aShortTailIsCompactedInPlaceWhenThatMakesRoom() {
        var buffer = ReadBuffer(initialCapacity: 64)
        buffer.append(Pattern.bytes(count: 60))
        buffer.consume(50)
        buffer.append(Pattern.bytes(count: 20, startingAt: 60))  // needs 20, tail has 4, compaction frees 54
        #expect(buffer.capacity == 64)
        #expect(buffer.start == 0)
        #expect(contents(buffer) == Pattern.bytes(count: 30, startingAt: 50))
    }

    @Test func aFullBufferGrowsByDoublingAndKeepsItsBytes() {
        var buffer = ReadBuffer(initialCapacity: 64)
        buffer.append(Pattern.bytes(count: 64))
        buffer.consume(4)
        buffer.append(Pattern.bytes(count: 10, startingAt: 64))
        #expect(buffer.capacity == 128)
        #expect(contents(buffer) == Pattern.bytes(count: 70, startingAt: 4))
        buffer.append(Pattern.bytes(count: 1000, startingAt: 74))
        #expect(buffer.capacity >= 1070)
        #expect(contents(buffer) == Pattern.bytes(count: 1070, startingAt: 4))
    }

    @Test(arguments: [1, 3, 64, 4097])
    func streamingThroughKeepsOrderForAnyChunking(chunk: Int) {
        var buffer = ReadBuffer(initialCapacity: 64)
        var expectedOffset = 0
        var produced = 0
        let total = 20_000
        while expectedOffset < total {
            if produced < total {
                let n = min(chunk, total - produced)
                buffer.append(Pattern.bytes(count: n, startingAt: produced))
                produced += n
            }
            // Consume a bit less than arrives, so a partial "command" stays behind.
            let take = produced == total ? buffer.readableCount : buffer.readableCount / 2
            let ok = buffer.withReadableBytes { Pattern.matches(UnsafeRawBufferPointer(rebasing: $0[..<take]), at: expectedOffset) }
            #expect(ok)
            buffer.consume(take)
            expectedOffset += take
        }
        #expect(buffer.capacity <= 64 * 1024)
    }

    @Test func shrinkGivesMemoryBackButKeepsUnparsedBytes() {
        var buffer = ReadBuffer(initialCapacity: 64)
        buffer.append(Pattern.bytes(count: 10_000))
        buffer.consume(9_990)
        buffer.shrink(toCapacity: 64)
        #expect(buffer.capacity == 64)
        #expect(contents(buffer) == Pattern.bytes(count: 10, startingAt: 9_990))
    }

    @Test func copiesAreIndependent() {
        var a = ReadBuffer(initialCapacity: 64)
        a.append([1, 2, 3])
        var b = a
        b.consume(1)
        b.append([4])
        #expect(contents(a) == [1, 2, 3])
        #expect(contents(b) == [2, 3, 4])
    }

    @Test func readFromFillsTheTailAndReportsEndOfStream() {
        let p = makePipe()
        defer { Socket.close(fd: p.read) }
        writeAll(p.write, Pattern.bytes(count: 10_000))
        Socket.close(fd: p.write)
        var buffer = ReadBuffer(initialCapacity: 4096)
        var results: [Socket.ReadResult] = []
        while true {
            let result = buffer.readFrom(fd: p.read, maxBytes: 3000)
            results.append(result)
            if case .bytes = result { continue }
            break
        }
        #expect(results.last == .closed)
        #expect(results.dropLast().allSatisfy { if case .bytes(let n) = $0 { n <= 3000 } else { false } })
        #expect(contents(buffer) == Pattern.bytes(count: 10_000))
    }

    @Test func writeIntoTailOffersAtLeastTheRequestedRoom() {
        var buffer = ReadBuffer(initialCapacity: 64)
        buffer.append(Pattern.bytes(count: 60))
        let written = buffer.writeIntoTail(minimumRoom: 100) { tail in
            #expect(tail.count >= 100)
            for i in 0..<100 { tail[i] = UInt8((60 + i) % Pattern.period) }
            return 100
        }
        #expect(written == 100)
        #expect(contents(buffer) == Pattern.bytes(count: 160))
    }
}
