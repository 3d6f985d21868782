// ReplicationID.swift — a replication ID: the 40-character name of one
// replication history (Redis's `replid`, `replid2`, and the ids carried by
// +FULLRESYNC / +CONTINUE / PSYNC).
//
// Invariants: `bytes.count == 40` always. New ids are 40 lowercase hex digits
// drawn from a caller-supplied random source (Redis's getRandomHexChars);
// ids received from a peer may be any 40 bytes (Redis copies them verbatim).
// `zero` (forty '0' characters) is the "no secondary id" value INFO shows.

import RESP

/// The 40-character identifier of a replication history.
public struct ReplicationID: Hashable, Sendable, CustomStringConvertible {
    /// The length of every id (Redis's CONFIG_RUN_ID_SIZE).
    public static let length = 40

    /// The 40 bytes of the id.
    public let bytes: Bytes

    /// "0000…0": what `master_replid2` shows when there is no secondary id.
    public static let zero = ReplicationID(unchecked: Bytes(repeating: UInt8(ascii: "0"), count: length))

    /// An id from exactly 40 bytes; nil for any other length.
    public init?(_ bytes: Bytes) {
        guard bytes.count == ReplicationID.length else { return nil }
        self.bytes = bytes
    }

    /// An id from exactly 40 characters of text; nil for any other length.
    public init?(_ text: String) {
        self.init(Array(text.utf8))
    }

    init(unchecked bytes: Bytes) { self.bytes = bytes }

    /// A fresh id of 40 lowercase hex digits from `rng`.
    public static func random<R: RandomNumberGenerator>(using rng: inout R) -> ReplicationID {
        let digits = Array("0123456789abcdef".utf8)
        var out = Bytes()
        out.reserveCapacity(length)
        while out.count < length {
            var word = rng.next()
            for _ in 0..<16 where out.count < length {
                out.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return ReplicationID(unchecked: out)
    }

    /// The id as text (bytes that are not UTF-8 are replaced, for logs only).
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// True when `other` names this id ignoring ASCII case (Redis compares with strcasecmp).
    public func matches(_ other: some Collection<UInt8>) -> Bool {
        guard other.count == bytes.count else { return false }
        var i = 0
        for c in other {
            if asciiLower(c) != asciiLower(bytes[i]) { return false }
            i += 1
        }
        return true
    }
}

@inline(__always)
func asciiLower(_ c: UInt8) -> UInt8 {
    (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) ? c + 32 : c
}
