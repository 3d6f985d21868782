// CRC-64/Jones: the check value, incremental use, and agreement of the
// slicing-by-8 implementation with a bit-at-a-time reference on odd lengths
// and alignments.

import Testing
@testable import RDB

@Suite struct CRC64Tests {
    /// Bit-at-a-time reference straight from the definition.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var crc: UInt64 = 0
        for byte in bytes {
            crc ^= UInt64(byte)
            for _ in 0 ..< 8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x95AC_9329_AC4B_C9B5 : crc >> 1
            }
        }
        return crc
    }

    @Test func checkValueOf123456789IsE9C6D914C4B8D9CA() {
        #expect(CRC64.checksum(b("123456789")) == 0xE9C6_D914_C4B8_D9CA)
    }

    @Test func emptyInputLeavesTheCRCUnchanged() {
        #expect(CRC64.checksum([]) == 0)
        #expect(CRC64.update(42, []) == 42)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099])
    func slicingAgreesWithTheBitwiseReference(length: Int) {
        var rng = SplitMix64(seed: UInt64(length))
        let data = (0 ..< length + 7).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        // Every start offset 0..<8 exercises the unaligned head loop.
        for start in 0 ..< 8 where start + length <= data.count {
            let slice = Array(data[start ..< start + length])
            #expect(CRC64.checksum(slice) == Self.reference(slice))
        }
    }

    @Test func updateIsIncrementalAcrossAnySplit() {
        var rng = SplitMix64(seed: 7)
        let data = (0 ..< 300).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let whole = CRC64.checksum(data)
        for split in [0, 1, 5, 8, 13, 150, 299, 300] {
            let partial = CRC64.update(CRC64.update(0, Array(data[..<split])), Array(data[split...]))
            #expect(partial == whole)
        }
    }
}
