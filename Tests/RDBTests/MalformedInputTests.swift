// Untrusted input: truncation at every length, random mutations, checksum
// handling, refusals with clear messages, impossible lengths, and broken
// compact encodings. The rule throughout: an RDBError with an offset, never
// a crash, a hang or an allocation sized by a lie.

import Testing
import Foundation
@testable import RDB

/// A source that hands out at most `step` bytes per read and hides its size.
struct DribbleSource: ByteSource {
    let bytes: [UInt8]
    let step: Int
    var position = 0
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
        let n = min(step, buffer.count, bytes.count - position)
        for i in 0 ..< n { buffer[i] = bytes[position + i] }
        position += n
        return n
    }
}

@Suite struct MalformedInputTests {
    /// A valid file mixing every type, expiries, aux fields and LZF.
    static let sample: [UInt8] = {
        do {
            var w = RDBWriter(sink: MemorySink())
            try w.writeHeader()
            try w.writeStandardAux(ctime: 1_700_000_000, usedMemory: 1 << 20)
            try w.selectDB(0, keys: 5, expires: 1)
            try w.writeString(key: b("str"), value: Array(String(repeating: "abc", count: 40).utf8), expireAtMs: 1_800_000_000_000)
            try w.writeString(key: b("int"), value: b("-123456"), expireAtMs: nil)
            try w.writeList(key: b("list"), elements: [b("a"), b("1000"), b("ccc")], count: 3, expireAtMs: nil)
            try w.writeSet(key: b("set"), members: [b("x"), b("y")], count: 2, expireAtMs: nil)
            try w.writeHash(key: b("hash"), fields: [(b("f"), b("v")), (b("g"), b("77"))], count: 2, expireAtMs: nil)
            try w.selectDB(1, keys: 1, expires: 0)
            try w.writeSortedSet(key: b("z"), entries: [(b("m"), 2.5), (b("n"), -1)], count: 2, expireAtMs: nil)
            return try w.finish().bytes
        } catch {
            return []
        }
    }()

    /// Hand-built compact encodings appended to the sample for fuzzing.
    static let compactSample: [UInt8] = {
        var f = RDBBuilder()
        f.key(10, "zl"); f.string(TestZiplist.encode([.str(b("a")), .int(5), .int(-70000), .str([UInt8](repeating: 1, count: 300))]))
        f.key(18, "ql"); f.length(2); f.length(2); f.string(TestListpack.encode([.str(b("b")), .int(-3000), .int(1 << 40)]))
        f.length(1); f.string(b("plain"))
        f.key(11, "is"); f.string(TestIntset.encode([1, 70000]))
        f.key(13, "hz"); f.string(TestZiplist.encode([.str(b("f")), .int(1)]))
        f.key(17, "zlp"); f.string(TestListpack.encode([.str(b("m")), .str(b("1.5"))]))
        f.key(9, "zm"); f.string(TestZipmap.encode([(b("k"), b("v"))], free: 1))
        return f.finish()
    }()

    /// Mutations per seed; RDB_FUZZ_ITERATIONS raises it for long local runs.
    static let fuzzIterations: Int = {
        let env = ProcessInfo.processInfo.environment["RDB_FUZZ_ITERATIONS"]
        return env.flatMap { Int($0) } ?? 1500
    }()

    /// Reads everything; returns the error if any.
    static func failure(_ bytes: [UInt8], verify: Bool = true) -> RDBError? {
        do {
            _ = try readAll(bytes, verifyChecksum: verify)
            return nil
        } catch {
            return error
        }
    }

    @Test func samplesAreValid() {
        #expect(Self.failure(Self.sample) == nil)
        #expect(Self.failure(Self.compactSample) == nil)
        #expect(Self.failure(RedisGoldenTests.file) == nil)
    }

    @Test(arguments: [0, 1, 2])
    func everyTruncationIsAnErrorNeverACrash(which: Int) {
        let file = [Self.sample, Self.compactSample, RedisGoldenTests.file][which]
        for length in 0 ..< file.count {
            let error = Self.failure(Array(file[..<length]))
            #expect(error != nil, "prefix \(length) accepted")
            if let error {
                #expect(error.kind == .truncated, "prefix \(length): \(error)")
                #expect(error.offset <= length)
            }
        }
    }

    @Test func truncationIsDetectedWithoutKnownSizeToo() {
        let file = Self.compactSample
        for length in stride(from: 0, to: file.count, by: 3) {
            var reader = RDBReader(source: DribbleSource(bytes: Array(file[..<length]), step: 5))
            #expect(throws: RDBError.self) { while try reader.next() != .end {} }
        }
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func inputSplitAtAnyBoundaryReadsTheSame(step: Int) throws {
        for file in [Self.sample, Self.compactSample, RedisGoldenTests.file] {
            var reader = RDBReader(source: DribbleSource(bytes: file, step: step))
            var got: [RDBRecord] = []
            while true {
                let r = try reader.next()
                if r == .end { break }
                got.append(r)
            }
            #expect(got == (try readAll(file)))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomMutationsNeverCrash(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let bases = [Self.sample, Self.compactSample, RedisGoldenTests.file]
        for i in 0 ..< Self.fuzzIterations {
            var bytes = bases[i % bases.count]
            let edits = Int.random(in: 1 ... 4, using: &rng)
            for _ in 0 ..< edits {
                let at = Int.random(in: 0 ..< bytes.count, using: &rng)
                switch Int.random(in: 0 ..< 4, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0 ... 255, using: &rng)
                case 1: bytes[at] ^= 1 << UInt8.random(in: 0 ..< 8, using: &rng)
                case 2: bytes.insert(UInt8.random(in: 0 ... 255, using: &rng), at: at)
                default: bytes.remove(at: at)
                }
            }
            // Without checksum verification the mutation reaches the parsers.
            _ = Self.failure(bytes, verify: false)
            _ = Self.failure(bytes, verify: true)
        }
    }

    @Test func mutatedCompactBlobsNeverCrashTheirParsers() {
        var rng = SplitMix64(seed: 42)
        let blobs: [[UInt8]] = [
            TestZiplist.encode(GoldenEncodingTests.mixedItems),
            TestListpack.encode(GoldenEncodingTests.mixedItems),
            TestIntset.encode([1, 2, 300, 70000, -9]),
            TestZipmap.encode([(b("a"), b("b")), (b("cc"), [UInt8](repeating: 7, count: 300))], free: 3),
        ]
        for i in 0 ..< Self.fuzzIterations * 3 {
            var blob = blobs[i % blobs.count]
            for _ in 0 ..< Int.random(in: 1 ... 3, using: &rng) {
                let at = Int.random(in: 0 ..< blob.count, using: &rng)
                if Bool.random(using: &rng) { blob[at] = UInt8.random(in: 0 ... 255, using: &rng) } else { blob.remove(at: at) }
            }
            switch i % blobs.count {
            case 0: _ = try? Ziplist.parse(blob)
            case 1: _ = try? Listpack.parse(blob)
            case 2: _ = try? Intset.parse(blob)
            default: _ = try? Zipmap.parse(blob)
            }
        }
    }

    @Test func corruptedContentFailsTheChecksum() {
        var bytes = Self.sample
        let at = bytes.firstIndex(of: UInt8(ascii: "c"))!    // inside a string
        bytes[at] = UInt8(ascii: "C")
        let error = Self.failure(bytes)
        #expect(error?.kind == .checksumMismatch)
        #expect(error?.offset == bytes.count - 8)
        #expect(error?.reason.hasPrefix("Wrong RDB checksum expected 0x") == true)
        #expect(Self.failure(bytes, verify: false) == nil)
    }

    @Test func corruptedTrailerFailsTheChecksum() {
        var bytes = Self.sample
        bytes[bytes.count - 1] ^= 0x10
        #expect(Self.failure(bytes)?.kind == .checksumMismatch)
    }

    @Test func storedChecksumZeroMeansNotComputed() {
        var bytes = Self.sample
        for i in bytes.count - 8 ..< bytes.count { bytes[i] = 0 }
        #expect(Self.failure(bytes) == nil)
    }

    @Test(arguments: [11, 12, 99])
    func newerVersionsAreRefused(version: Int) {
        var f = RDBBuilder(version: version)
        let error = Self.failure(f.finish())
        #expect(error?.kind == .unsupported)
        #expect(error?.reason == "Can't handle RDB format version \(version)")
    }

    @Test func versionZeroAndBadSignaturesAreRefused() {
        #expect(Self.failure(b("REDIS0000") + [0xFF])?.kind == .unsupported)
        #expect(Self.failure(b("RODIS0010") + [0xFF])?.reason == "Wrong signature trying to load DB from file")
        #expect(Self.failure(b("REDIS00x0") + [0xFF])?.kind == .corrupt)
    }

    @Test(arguments: [UInt8(15), 19, 21])
    func streamKeysAreRefusedNamingTheKey(type: UInt8) {
        var f = RDBBuilder()
        f.key(type, "mystream")
        f.bytes += [1, 2, 3]
        let error = Self.failure(f.finish())
        #expect(error?.kind == .unsupported)
        #expect(error?.reason == "stream keys are not supported (key 'mystream')")
        #expect(error?.offset == 9)
    }

    @Test func moduleValuesAuxAndPreGAFunctionsAreRefused() {
        for opcode: UInt8 in [6, 7, 0xF7, 0xF6] {
            var f = RDBBuilder()
            f.byte(opcode)
            f.string("x")
            f.bytes += [0, 0, 0]
            let error = Self.failure(f.finish())
            #expect(error?.kind == .unsupported, "opcode \(opcode)")
        }
    }

    @Test(arguments: [UInt8(8), 22, 99, 200, 244])
    func unknownTypesAreCorruptAtTheTypeByte(type: UInt8) {
        var f = RDBBuilder()
        f.key(0, "ok"); f.string("v")
        let at = f.bytes.count
        f.key(type, "bad")
        let error = Self.failure(f.finish())
        #expect(error?.description == "Unknown RDB type \(type) at offset \(at)")
    }

    @Test func absurdLengthsAreRejectedBeforeAllocating() {
        var f = RDBBuilder()
        f.byte(0); f.length(1 << 50)
        #expect(Self.failure(f.finish())?.kind == .corrupt)
        // Collections too.
        var g = RDBBuilder()
        g.key(1, "l"); g.length(1 << 45)
        #expect(Self.failure(g.finish())?.kind == .corrupt)
    }

    @Test func lengthsBeyondTheRemainingInputAreTruncation() {
        var f = RDBBuilder()
        f.key(0, "k"); f.length(1 << 30); f.bytes += b("short")
        let error = Self.failure(f.finish())
        #expect(error?.kind == .truncated)
        #expect(error?.offset == 12)   // header 9, type, key "k" (2): the length
        var g = RDBBuilder()
        g.key(2, "s"); g.length(1 << 32)
        #expect(Self.failure(g.finish())?.kind == .truncated)
    }

    @Test func hugeClaimsWithUnknownSizeFailAtTheRealEnd() {
        var f = RDBBuilder()
        f.key(0, "k"); f.length(1 << 39); f.bytes += [UInt8](repeating: 1, count: 1000)
        var reader = RDBReader(source: DribbleSource(bytes: f.bytes, step: 4096))
        #expect { try reader.next() } throws: { ($0 as? RDBError)?.kind == .truncated }
    }

    @Test func unknownStringAndLengthEncodingsAreCorrupt() {
        var f = RDBBuilder()
        f.key(0, "k"); f.byte(0xC4)
        #expect(Self.failure(f.finish())?.reason == "Unknown RDB string encoding type 4")
        var g = RDBBuilder()
        g.key(0, "k"); g.byte(0x82)
        #expect(Self.failure(g.finish())?.reason == "Unknown length encoding 130")
        var h = RDBBuilder()
        h.byte(0xFE); h.byte(0xC0)
        #expect(Self.failure(h.finish())?.kind == .corrupt)
    }

    @Test func impossibleOrInvalidLZFIsCorrupt() {
        var f = RDBBuilder()
        f.key(0, "k"); f.bytes += [0xC3, 0x02, 0x80, 0x00, 0x10, 0x00, 0x00, 0x61, 0x00]   // 2 bytes claiming 1 MiB
        #expect(Self.failure(f.finish())?.kind == .corrupt)
        var g = RDBBuilder()
        g.key(0, "k"); g.bytes += [0xC3, 0x02, 0x05, 0x20, 0x00]   // reference before start
        #expect(Self.failure(g.finish())?.reason == "Invalid LZF compressed string")
    }

    @Test func nanScoresAreCorrupt() {
        var f = RDBBuilder()
        f.key(5, "z"); f.length(1); f.string("m"); f.littleEndian(Double.nan.bitPattern, 8)
        #expect(Self.failure(f.finish())?.kind == .corrupt)
        var g = RDBBuilder()
        g.key(3, "z"); g.length(1); g.string("m"); g.byte(253)
        #expect(Self.failure(g.finish())?.kind == .corrupt)
    }

    static func blobFailure(_ type: UInt8, _ blob: [UInt8]) -> RDBError? {
        var f = RDBBuilder()
        f.key(type, "k")
        f.string(blob)
        return failure(f.finish())
    }

    @Test func brokenZiplistsAreReported() {
        let good = TestZiplist.encode([.str(b("a")), .int(300), .str(b("b"))])
        var wrongSize = good; wrongSize[0] &+= 1
        var wrongTail = good; wrongTail[4] &+= 1
        var wrongCount = good; wrongCount[8] = 5
        var wrongPrevlen = good; wrongPrevlen[13] = 9      // 2nd entry's prevlen
        var badEncoding = good; badEncoding[14] = 0xFF    // 2nd entry's encoding byte
        var noTerminator = good; noTerminator[good.count - 1] = 0
        for (name, blob) in [("size", wrongSize), ("tail", wrongTail), ("count", wrongCount), ("prevlen", wrongPrevlen),
                             ("encoding", badEncoding), ("terminator", noTerminator), ("short", Array(good[..<9]))] {
            let error = Self.blobFailure(10, blob)
            #expect(error?.kind == .corrupt, "\(name)")
            #expect(error?.reason.hasPrefix("Ziplist integrity check failed for key 'k'") == true, "\(name): \(String(describing: error))")
            #expect(error?.offset == 12, "\(name)")   // where the blob string starts
        }
        #expect(Self.blobFailure(10, good) == nil)
    }

    @Test func brokenListpacksAreReported() {
        let good = TestListpack.encode([.str(b("a")), .int(300), .str(b("b"))])
        var wrongSize = good; wrongSize[0] &+= 1
        var wrongCount = good; wrongCount[4] = 9
        var wrongBacklen = good; wrongBacklen[8] = 5          // 1st entry's backlen
        var badEncoding = good; badEncoding[9] = 0xF5           // 2nd entry's encoding
        var longString = good; longString[6] = 0x80 | 60       // string runs past the end
        for (name, blob) in [("size", wrongSize), ("count", wrongCount), ("backlen", wrongBacklen),
                             ("encoding", badEncoding), ("overrun", longString)] {
            let error = Self.blobFailure(16, blob)
            #expect(error?.reason.hasPrefix("Listpack integrity check failed") == true, "\(name): \(String(describing: error))")
        }
        // Unknown count (65535) is fine; odd element counts are not a hash.
        #expect(Self.blobFailure(17, TestListpack.encode([.str(b("m")), .int(1)], declaredCount: 0xFFFF)) == nil)
        #expect(Self.blobFailure(16, TestListpack.encode([.str(b("m"))]))?.kind == .corrupt)
        #expect(Self.blobFailure(17, TestListpack.encode([.str(b("m")), .str(b("x1"))]))?.kind == .corrupt)
    }

    @Test func brokenIntsetsAreReported() {
        #expect(Self.blobFailure(11, le(2, 4) + le(2, 4) + le(5, 2) + le(3, 2))?.kind == .corrupt)   // descending
        #expect(Self.blobFailure(11, le(2, 4) + le(2, 4) + le(5, 2) + le(5, 2))?.kind == .corrupt)   // duplicate
        #expect(Self.blobFailure(11, le(3, 4) + le(1, 4) + [1, 2, 3])?.kind == .corrupt)              // width 3
        #expect(Self.blobFailure(11, le(2, 4) + le(0, 4))?.kind == .corrupt)                          // empty
        #expect(Self.blobFailure(11, le(8, 4) + le(0x4000_0000, 4) + le(1, 8))?.kind == .corrupt)     // count lies
    }

    @Test func brokenQuicklistContainersAreReported() {
        var f = RDBBuilder()
        f.key(18, "q"); f.length(1); f.length(3); f.string("x")
        #expect(Self.failure(f.finish())?.reason.hasPrefix("Quicklist integrity check failed") == true)
    }
}
