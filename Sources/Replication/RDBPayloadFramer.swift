// RDBPayloadFramer.swift — frames the snapshot a master sends after
// +FULLRESYNC (Redis's readSyncBulkPayload), incrementally and without
// buffering: it tells the caller which bytes of its input are payload to
// write or load, and when the payload is complete.
//
// Wire forms:
//
//   "\n" …                         keepalives the master sends while preparing
//                                  the snapshot (before the preamble)
//   "$<len>\r\n" <len bytes>       disk-based transfer: exactly len bytes
//   "$EOF:<40-byte mark>\r\n" <bytes> <the same 40-byte mark>
//                                  diskless transfer: size unknown in advance
//   "-<error>\r\n"                 the master gave up ("-NOAUTH …", "-ERR …")
//
// Usage (NIO decoder style): call `next(buffer)` repeatedly; each result is an
// event and how many bytes of the buffer's front it consumed. The caller drops
// those bytes and calls again; nil means "need more bytes". For `.payload(n)`
// the consumed bytes ARE the payload. Bytes after `.end` belong to the command
// stream and are left untouched.
//
// Invariants: the caller presents its unconsumed bytes from the front each
// time; in EOF-mark mode the last 39 bytes are held back (not consumed) until
// it is certain they are not the start of the mark, so the mark itself is
// never reported as payload, wherever reads split it. A mark found anywhere
// in the input ends the payload (Redis checks only read boundaries, which is
// equivalent since the master sends nothing after the mark until the replica
// ACKs).

import RESP

/// Incremental framer for the full-sync snapshot transfer.
public struct RDBPayloadFramer: Sendable {
    /// How the payload's end is known.
    public enum Length: Equatable, Sendable {
        /// "$<n>": exactly n bytes follow.
        case exact(Int64)
        /// "$EOF:<mark>": bytes follow until the 40-byte mark.
        case untilMark(Bytes)
    }

    /// One framing step.
    public enum Event: Equatable, Sendable {
        /// A bare newline before the preamble: the master is alive (update
        /// the last-I/O time used for repl-timeout).
        case keepalive
        /// The preamble was read.
        case begin(Length)
        /// The consumed bytes (the front of the input) are snapshot payload.
        case payload(Int)
        /// The payload is complete (an EOF mark, if any, was consumed).
        case end
    }

    private enum Phase: Sendable {
        case preamble
        case exact(remaining: Int64)
        case mark(Bytes)
        case done
    }

    /// The length of an EOF mark (Redis's CONFIG_RUN_ID_SIZE).
    public static let markLength = 40

    /// Longest preamble line accepted (Redis reads it into a 1024-byte buffer).
    public var maxPreambleLength = 1024

    private var phase = Phase.preamble

    /// The framing mode once the preamble is known, else nil.
    public private(set) var length: Length?

    /// Bytes consumed after the preamble, mark included (Redis's repl_transfer_read).
    public private(set) var transferRead: Int64 = 0

    /// Creates a framer expecting keepalives or the preamble.
    public init() {}

    /// Redis's repl_transfer_size for INFO: -1 before the preamble, 0 in
    /// EOF-mark mode (size unknown), else the announced length.
    public var transferSize: Int64 {
        switch length {
        case nil: return -1
        case .untilMark: return 0
        case .exact(let n): return n
        }
    }

    /// True when the payload came in the "$EOF:<mark>" form (the replica must
    /// then ACK at once: the master streams nothing until it does).
    public var usesEOFMark: Bool {
        if case .untilMark = length { return true }
        return false
    }

    /// True once `.end` has been returned.
    public var isComplete: Bool {
        if case .done = phase { return true }
        return false
    }

    /// The next event at the front of `input`, with the bytes it consumed;
    /// nil when more input is needed. After `.end` returns nil forever.
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(RDBPayloadError) -> (event: Event, consumed: Int)? {
        switch phase {
        case .preamble:
            return try readPreamble(input)
        case .exact(let remaining):
            if remaining == 0 {
                phase = .done
                return (.end, 0)
            }
            if input.isEmpty { return nil }
            let n = Int(min(remaining, Int64(input.count)))
            phase = .exact(remaining: remaining - Int64(n))
            transferRead += Int64(n)
            return (.payload(n), n)
        case .mark(let mark):
            if let at = firstIndex(of: mark, in: input) {
                if at > 0 {
                    transferRead += Int64(at)
                    return (.payload(at), at)
                }
                phase = .done
                transferRead += Int64(mark.count)
                return (.end, mark.count)
            }
            // Any of the last 39 bytes could begin the mark: hold them back.
            let safe = input.count - (mark.count - 1)
            if safe <= 0 { return nil }
            transferRead += Int64(safe)
            return (.payload(safe), safe)
        case .done:
            return nil
        }
    }

    /// `next` over a byte array (tests, tools).
    public mutating func next(_ input: Bytes) throws(RDBPayloadError) -> (event: Event, consumed: Int)? {
        let result = input.withUnsafeBytes { buf in
            Result { () throws(RDBPayloadError) in try next(buf) }
        }
        return try result.get()
    }

    private mutating func readPreamble(_ input: UnsafeRawBufferPointer) throws(RDBPayloadError) -> (event: Event, consumed: Int)? {
        let found: (line: Bytes, consumed: Int)?
        do {
            found = try LineReader.next(input, maxLength: maxPreambleLength)
        } catch {
            throw .preambleTooLong(limit: error.limit)
        }
        guard let (line, consumed) = found else { return nil }
        guard let first = line.first else { return (.keepalive, consumed) }
        let text = String(decoding: line, as: UTF8.self)
        switch first {
        case UInt8(ascii: "-"):
            throw .masterError(String(text.dropFirst()))
        case UInt8(ascii: "$"):
            break
        default:
            throw .notBulk(received: text)
        }
        let eofPrefix = Array("$EOF:".utf8)
        if line.starts(with: eofPrefix) {
            let mark = Array(line.dropFirst(eofPrefix.count).prefix(RDBPayloadFramer.markLength))
            guard mark.count == RDBPayloadFramer.markLength else { throw .invalidPreamble(text) }
            length = .untilMark(mark)
            phase = .mark(mark)
            return (.begin(.untilMark(mark)), consumed)
        }
        guard let n = parseInt64(line.dropFirst()), n >= 0 else { throw .invalidPreamble(text) }
        length = .exact(n)
        phase = .exact(remaining: n)
        return (.begin(.exact(n)), consumed)
    }
}

/// Why a snapshot transfer cannot be framed. Each case's `logLine` is the
/// text Redis logs (or, for cases Redis does not detect, one in its style);
/// the replica then drops the link and reconnects.
public enum RDBPayloadError: Error, Equatable, Sendable {
    /// The master replied "-<message>" instead of a payload.
    case masterError(String)
    /// The first byte of the preamble is not '$' (wrong host/port?).
    case notBulk(received: String)
    /// "$" followed by something that is neither a length nor "EOF:<40-byte mark>".
    case invalidPreamble(String)
    /// No newline within the preamble limit.
    case preambleTooLong(limit: Int)

    /// The log line for this error.
    public var logLine: ReplicationLogLine {
        switch self {
        case .masterError(let m):
            return .warning("MASTER aborted replication with an error: \(m)")
        case .notBulk(let r):
            return .warning("Bad protocol from MASTER, the first byte is not '$' (we received '\(r)'), are you sure the host and port are right?")
        case .invalidPreamble(let p):
            return .warning("Bad protocol from MASTER, invalid bulk payload header '\(p)'")
        case .preambleTooLong(let limit):
            return .warning("Bad protocol from MASTER, bulk payload header longer than \(limit) bytes")
        }
    }
}

extension RDBPayloadFramer.Length {
    /// Redis's notice when the transfer starts; `diskless` when the payload
    /// is loaded straight from the socket (repl-diskless-load) rather than
    /// written to a temporary file.
    public func startLogLine(diskless: Bool) -> ReplicationLogLine {
        let target = diskless ? "to parser" : "to disk"
        switch self {
        case .exact(let n):
            return .notice("MASTER <-> REPLICA sync: receiving \(n) bytes from master \(target)")
        case .untilMark:
            return .notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF \(target)")
        }
    }
}
