// RDBFormat: the numbers of the Redis RDB format (src/rdb.h), in one place.
//
// File layout:
//   "REDIS" + 4-digit version
//   { AUX key value | SELECTDB n | RESIZEDB keys expires | FUNCTION2 code
//     | [EXPIRETIME_MS t | EXPIRETIME t] [IDLE n] [FREQ b] TYPE key value }*
//   EOF  CRC-64 (8 bytes little-endian; version >= 5; 0 = not computed)
//
// Length encoding (first byte's two top bits):
//   00xxxxxx                 6-bit length
//   01xxxxxx xxxxxxxx        14-bit length, big-endian
//   10000000 + 4 bytes       32-bit length, big-endian
//   10000001 + 8 bytes       64-bit length, big-endian
//   11xxxxxx                 special string encoding xxxxxx (below)
// Special string encodings: 0 INT8, 1 INT16, 2 INT32 (little-endian, signed),
// 3 LZF (compressed length, uncompressed length, data).

/// Constants of the on-disk format.
@usableFromInline
enum RDBFormat {
    /// Newest RDB version this module reads and the one it writes (Redis 7.0).
    static let version = 10
    /// Largest length accepted anywhere; beyond this an input is corrupt.
    static let absurdLength: UInt64 = 1 << 40

    // Opcodes.
    @usableFromInline static let opFunction2: UInt8 = 245
    @usableFromInline static let opFunctionPreGA: UInt8 = 246
    @usableFromInline static let opModuleAux: UInt8 = 247
    @usableFromInline static let opIdle: UInt8 = 248
    @usableFromInline static let opFreq: UInt8 = 249
    @usableFromInline static let opAux: UInt8 = 250
    @usableFromInline static let opResizeDB: UInt8 = 251
    @usableFromInline static let opExpireTimeMs: UInt8 = 252
    @usableFromInline static let opExpireTime: UInt8 = 253
    @usableFromInline static let opSelectDB: UInt8 = 254
    @usableFromInline static let opEOF: UInt8 = 255

    // Object types.
    @usableFromInline static let typeString: UInt8 = 0
    @usableFromInline static let typeList: UInt8 = 1
    @usableFromInline static let typeSet: UInt8 = 2
    @usableFromInline static let typeZSet: UInt8 = 3
    @usableFromInline static let typeHash: UInt8 = 4
    @usableFromInline static let typeZSet2: UInt8 = 5
    static let typeModulePreGA: UInt8 = 6
    static let typeModule2: UInt8 = 7
    static let typeHashZipmap: UInt8 = 9
    static let typeListZiplist: UInt8 = 10
    static let typeSetIntset: UInt8 = 11
    static let typeZSetZiplist: UInt8 = 12
    static let typeHashZiplist: UInt8 = 13
    static let typeListQuicklist: UInt8 = 14
    static let typeStreamListpacks: UInt8 = 15
    static let typeHashListpack: UInt8 = 16
    static let typeZSetListpack: UInt8 = 17
    static let typeListQuicklist2: UInt8 = 18
    static let typeStreamListpacks2: UInt8 = 19
    static let typeSetListpack: UInt8 = 20
    static let typeStreamListpacks3: UInt8 = 21

    // Special string encodings (after the 11 prefix).
    static let encInt8: UInt64 = 0
    static let encInt16: UInt64 = 1
    static let encInt32: UInt64 = 2
    static let encLZF: UInt64 = 3

    // Quicklist 2 node containers.
    static let containerPlain: UInt64 = 1
    static let containerPacked: UInt64 = 2
}
