// RDBError: the single error type of the RDB module.
//
// Every failure — malformed or truncated input, unsupported content, a checksum
// mismatch, a failing sink or source, or a writer misuse — is reported as one
// value carrying the byte offset in the stream where it was detected and a
// sentence a user can act on. Readers never crash on input: they throw this.

/// An RDB encode/decode failure, with the stream offset it refers to.
public struct RDBError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What class of failure this is, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// The input ended before the structure being read was complete.
        case truncated
        /// The bytes do not form a valid RDB structure.
        case corrupt
        /// Valid Redis content this implementation deliberately does not load
        /// (streams, modules, pre-release function format, newer RDB versions).
        case unsupported
        /// The trailing CRC-64 does not match the content.
        case checksumMismatch
        /// The underlying sink or source failed (the reason carries errno text).
        case io
        /// The writer was used incorrectly (declared count differs from the
        /// elements supplied, NaN score, writing before the header …).
        case invalidArgument
    }

    /// The class of failure.
    public let kind: Kind
    /// Byte offset in the RDB stream (from the first byte of the header) at
    /// which the problem was detected; for the writer, bytes written so far.
    public let offset: Int
    /// A human-readable explanation, without the offset.
    public let reason: String

    /// Creates an error of `kind` at stream `offset`.
    public init(_ kind: Kind, offset: Int, _ reason: String) {
        self.kind = kind
        self.offset = offset
        self.reason = reason
    }

    /// `reason` followed by the offset, e.g. "Unknown RDB type 99 at offset 17".
    public var description: String { "\(reason) at offset \(offset)" }
}
