// ReplicationBacklogTests.swift — the backlog against a trivially correct
// model (every byte ever appended, numbered from the creation offset), across
// wraparound, exact-size and oversize appends, and resizes.

import Testing
import Replication
import RESP

/// Everything appended since creation; the backlog must hold its newest `size` bytes.
struct BacklogModel {
    var size: Int
    var startOffset: Int64           // offset of all[0]
    var all: Bytes = []
    var kept: Int = 0                // how many newest bytes the backlog may still hold

    var endOffset: Int64 { startOffset + Int64(all.count) - 1 }
    var histlen: Int { kept }
    var firstByteOffset: Int64 { endOffset - Int64(kept) + 1 }

    mutating func append(_ bytes: Bytes) {
        all += bytes
        kept = min(size, kept + bytes.count)
    }

    mutating func resize(_ newSize: Int) {
        size = newSize
        kept = min(kept, newSize)
    }

    func bytes(from offset: Int64) -> Bytes? {
        guard offset >= firstByteOffset && offset <= endOffset + 1 else { return nil }
        return Array(all[Int(offset - startOffset)...])
    }
}

func expectMatches(_ backlog: ReplicationBacklog, _ model: BacklogModel, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(backlog.histlen == model.histlen, sourceLocation: sourceLocation)
    #expect(backlog.firstByteOffset == model.firstByteOffset, sourceLocation: sourceLocation)
    #expect(backlog.endOffset == model.endOffset, sourceLocation: sourceLocation)
    for probe in [model.firstByteOffset - 1, model.firstByteOffset, model.firstByteOffset + 1,
                  (model.firstByteOffset + model.endOffset) / 2,
                  model.endOffset, model.endOffset + 1, model.endOffset + 2] {
        #expect(backlog.bytes(from: probe) == model.bytes(from: probe), "offset \(probe)", sourceLocation: sourceLocation)
        #expect(backlog.covers(probe) == (model.bytes(from: probe) != nil), sourceLocation: sourceLocation)
    }
}

@Test func aNewBacklogStartsAtTheNextOffsetAndHoldsNothing() {
    let backlog = ReplicationBacklog(size: 100, masterReplOffset: 0)
    #expect(backlog.firstByteOffset == 1)
    #expect(backlog.histlen == 0)
    #expect(backlog.endOffset == 0)
    #expect(backlog.bytes(from: 1) == [])      // a caught-up replica
    #expect(backlog.bytes(from: 0) == nil)
    #expect(backlog.bytes(from: 2) == nil)
}

@Test func offsetsMatchRedisInfoAfterTheFirstWrite() {
    // Redis 7.0.15: backlog created at offset 0, then SELECT 0 + "set a b" (50 bytes):
    // repl_backlog_first_byte_offset:1, repl_backlog_histlen:50, master_repl_offset:50.
    var backlog = ReplicationBacklog(size: 1_048_576, masterReplOffset: 0)
    backlog.append(b("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n"))
    #expect(backlog.firstByteOffset == 1)
    #expect(backlog.histlen == 50)
    #expect(backlog.endOffset == 50)
}

@Test func aReplicaBacklogAfterFullSyncAtOffset50StartsAt51() {
    // Redis 7.0.15 replica after +FULLRESYNC … 50 and 100 streamed bytes:
    // first_byte_offset:51, histlen:100, master_repl_offset:150.
    var backlog = ReplicationBacklog(size: 1_048_576, masterReplOffset: 50)
    backlog.append(Bytes(repeating: 0x2A, count: 100))
    #expect(backlog.firstByteOffset == 51)
    #expect(backlog.histlen == 100)
    #expect(backlog.endOffset == 150)
}

@Test func wraparoundKeepsTheNewestBytesInOrder() {
    var backlog = ReplicationBacklog(size: 8, masterReplOffset: 0)
    backlog.append(b("abcdef"))
    backlog.append(b("ghij"))          // wraps: holds "cdefghij"
    #expect(backlog.bytes(from: 3) == b("cdefghij"))
    #expect(backlog.firstByteOffset == 3)
    #expect(backlog.bytes(from: 2) == nil)
    backlog.append(b("klm"))           // holds "fghijklm"
    #expect(backlog.bytes(from: 6) == b("fghijklm"))
    #expect(backlog.bytes(from: 10) == b("jklm"))
    #expect(backlog.bytes(from: 14) == [])
}

@Test func anAppendLargerThanTheBacklogKeepsOnlyItsTail() {
    var backlog = ReplicationBacklog(size: 4, masterReplOffset: 10)
    backlog.append(b("xy"))
    backlog.append(b("0123456789"))
    #expect(backlog.bytes(from: backlog.firstByteOffset) == b("6789"))
    #expect(backlog.firstByteOffset == 19)
    #expect(backlog.endOffset == 22)
}

@Test func segmentsSplitAtTheRingBoundary() {
    var backlog = ReplicationBacklog(size: 6, masterReplOffset: 0)
    backlog.append(b("abcdef"))
    backlog.append(b("gh"))            // ring: "ghcdef", oldest at index 2
    var segments: [Bytes] = []
    backlog.forEachSegment(from: 3) { segments.append(Array($0)) }
    #expect(segments == [b("cdef"), b("gh")])
    segments = []
    backlog.forEachSegment(from: 7) { segments.append(Array($0)) }
    #expect(segments == [b("gh")])
    #expect(backlog.forEachSegment(from: 2) { _ in } == false)
}

@Test func shrinkingKeepsTheNewestBytesAndGrowingKeepsAll() {
    var backlog = ReplicationBacklog(size: 10, masterReplOffset: 0)
    backlog.append(b("0123456789ab"))  // holds "23456789ab"
    backlog.resize(exactly: 4)
    #expect(backlog.bytes(from: backlog.firstByteOffset) == b("89ab"))
    #expect(backlog.firstByteOffset == 9)
    backlog.resize(exactly: 20)
    #expect(backlog.bytes(from: 9) == b("89ab"))
    backlog.append(b("cdef"))
    #expect(backlog.bytes(from: 9) == b("89abcdef"))
    #expect(backlog.size == 20)
}

@Test func configResizeClampsToSixteenKilobytes() {
    var backlog = ReplicationBacklog(size: 100, masterReplOffset: 0)
    backlog.resize(to: 1)
    #expect(backlog.size == 16 * 1024)
}

@Test("random appends and resizes agree with the model", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
func randomAppendsAgreeWithTheModel(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let size = Int.random(in: 1...64, using: &rng)
    let start = Int64.random(in: 0...1000, using: &rng)
    var backlog = ReplicationBacklog(size: size, masterReplOffset: start)
    var model = BacklogModel(size: size, startOffset: start + 1)
    for step in 0..<300 {
        if step % 37 == 36 {
            let newSize = Int.random(in: 1...64, using: &rng)
            backlog.resize(exactly: newSize)
            model.resize(newSize)
        } else {
            let n = Int.random(in: 0...(2 * model.size + 3), using: &rng)
            let chunk = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            backlog.append(chunk)
            model.append(chunk)
        }
        expectMatches(backlog, model)
    }
}
