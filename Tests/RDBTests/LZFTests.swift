// LZF: hand-assembled vectors (literal runs, short and long back references,
// overlapping runs), round trips of varied data, the size limit, and
// rejection of every kind of malformed stream.

import Testing
@testable import RDB

@Suite struct LZFTests {
    @Test func literalRunDecodes() {
        #expect(LZF.decompress([0x02, 0x61, 0x62, 0x63], outputLength: 3) == b("abc"))
    }

    @Test func shortBackReferenceCopiesFromEarlierOutput() {
        // "abc" literal, then a 6-byte copy from 3 back (offset field 2): "abcabcabc".
        #expect(LZF.decompress([0x02, 0x61, 0x62, 0x63, 0x80, 0x02], outputLength: 9) == b("abcabcabc"))
    }

    @Test func longBackReferenceUsesTheExtraLengthByte() {
        // "a", then a copy of 7 + 100 + 2 = 109 bytes from 1 back: 110 'a's.
        let out = LZF.decompress([0x00, 0x61, 0xE0, 100, 0x00], outputLength: 110)
        #expect(out == [UInt8](repeating: 0x61, count: 110))
    }

    @Test func redisWrittenVectorDecodes() {
        // From a Redis 7.0.15 dump of SET slzf <50 x 'a'>: C3 09 32 then 9 bytes.
        #expect(LZF.decompress(hexBytes("01 6161 e025 0001 6161"), outputLength: 50) == [UInt8](repeating: 0x61, count: 50))
    }

    @Test(arguments: [
        ("empty ctrl run beyond input", [UInt8]([0x05, 0x61]), 6),
        ("reference before start", [0x00, 0x61, 0x20, 0x05], 4),
        ("output longer than expected", [0x02, 0x61, 0x62, 0x63], 2),
        ("output shorter than expected", [0x02, 0x61, 0x62, 0x63], 4),
        ("missing offset byte", [0x00, 0x61, 0x20], 4),
        ("missing extra length byte", [0x00, 0x61, 0xE0], 20),
        ("reference into nothing", [0x20, 0x00], 3),
    ])
    func malformedStreamsAreRejected(_ name: String, _ input: [UInt8], _ length: Int) {
        #expect(LZF.decompress(input, outputLength: length) == nil, "\(name)")
    }

    static let samples: [(String, [UInt8])] = {
        var rng = SplitMix64(seed: 99)
        let random = (0 ..< 5000).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog; ", count: 200).utf8)
        let runs = [UInt8](repeating: 0, count: 70000)
        let mixed = (0 ..< 20000).map { i in UInt8((i / 7) % 13) &+ UInt8(truncatingIfNeeded: i % 3 == 0 ? i : 0) }
        let farRepeat = random[0 ..< 100] + [UInt8](repeating: 1, count: 9000) + random[0 ..< 100]
        return [("random", random), ("text", text), ("runs", runs), ("mixed", mixed), ("farRepeat", Array(farRepeat)),
                ("tiny", b("aaaa")), ("three", b("abc"))]
    }()

    @Test func roundTripsVariedData() {
        for (name, data) in Self.samples {
            // Allow expansion so even random data compresses into the limit.
            guard let c = LZF.compress(data, limit: data.count + data.count / 16 + 16) else {
                Issue.record("\(name) did not compress")
                continue
            }
            #expect(LZF.decompress(c, outputLength: data.count) == data, "\(name)")
        }
    }

    @Test func repetitiveDataShrinksALot() {
        let text = Array(String(repeating: "abcdefgh", count: 1000).utf8)
        let c = LZF.compress(text)
        #expect(c != nil && c!.count < text.count / 20)
    }

    @Test func incompressibleDataRespectsTheLimit() {
        var rng = SplitMix64(seed: 3)
        let random = (0 ..< 1000).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        #expect(LZF.compress(random, limit: random.count - 4) == nil)
    }

    @Test func reusedCompressorGivesTheSameResultAsAFreshOne() {
        var reused = LZFCompressor()
        var scratch: [UInt8] = []
        for (_, data) in Self.samples + Self.samples {
            let limit = data.count + data.count / 16 + 16
            let n = data.withUnsafeBytes { reused.compress($0, limit: limit, into: &scratch) }
            #expect(n.map { Array(scratch[0 ..< $0]) } == LZF.compress(data, limit: limit))
        }
    }
}
