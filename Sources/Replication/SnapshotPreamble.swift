// SnapshotPreamble.swift — the master's side of the snapshot framing that
// RDBPayloadFramer reads: "$<len>\r\n" before a snapshot file sent from disk,
// or "$EOF:<mark>\r\n" … <mark> around a snapshot streamed to replicas that
// announced `capa eof` (diskless sync), and the "\n" keepalive.
//
// Invariants: marks are 40 lowercase hex digits from the caller's random
// source (Redis's getRandomHexChars), so they cannot collide with a preamble.

import RESP

/// Encoders for the snapshot transfer framing.
public enum SnapshotPreamble {
    /// "$<length>\r\n": precedes a snapshot of known size.
    public static func sized(_ length: Int64) -> Bytes {
        Array("$\(length)\r\n".utf8)
    }

    /// A fresh 40-byte end mark for a diskless transfer.
    public static func randomMark<R: RandomNumberGenerator>(using rng: inout R) -> Bytes {
        ReplicationID.random(using: &rng).bytes
    }

    /// "$EOF:<mark>\r\n": precedes a streamed snapshot; send `mark` again after its last byte.
    public static func eofMarked(_ mark: Bytes) -> Bytes {
        Array("$EOF:".utf8) + mark + [13, 10]
    }

    /// The keepalive a master writes every second to replicas waiting for
    /// their snapshot (Redis's replicationCron "\n").
    public static let keepalive: Bytes = [10]
}
