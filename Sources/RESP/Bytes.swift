// Bytes.swift — the byte-string type every Vigil module shares, and the one
// error the RESP parsers throw.
//
// Invariants: `Bytes` is binary-safe (any octet, including NUL and CR/LF).
// `ProtocolError.message` is Redis's reply text *without* the "ERR " prefix,
// so the server can reply `"ERR " + message` and close the connection.

/// A binary-safe byte string: keys, values and command arguments.
public typealias Bytes = [UInt8]

/// A malformed frame. The connection that sent it cannot be resynchronised and
/// should be closed after replying `-ERR <message>`.
public struct ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Redis's text without the "ERR " prefix, e.g. "Protocol error: invalid multibulk length".
    public let message: String

    /// Creates an error with `message` (no "ERR " prefix).
    public init(message: String) { self.message = message }

    /// Creates an error with `message` (no "ERR " prefix).
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension ProtocolError {
    // The exact texts of Redis 7.0 networking.c.
    static let unbalancedQuotes = ProtocolError("Protocol error: unbalanced quotes in request")
    static let tooBigInline = ProtocolError("Protocol error: too big inline request")
    static let tooBigMultibulkCount = ProtocolError("Protocol error: too big mbulk count string")
    static let tooBigBulkCount = ProtocolError("Protocol error: too big bulk count string")
    static let invalidMultibulkLength = ProtocolError("Protocol error: invalid multibulk length")
    static let unauthenticatedMultibulk = ProtocolError("Protocol error: unauthenticated multibulk length")
    static let invalidBulkLength = ProtocolError("Protocol error: invalid bulk length")
    static let unauthenticatedBulk = ProtocolError("Protocol error: unauthenticated bulk length")

    /// "Protocol error: expected '$', got 'X'". Redis formats the byte with `%c`
    /// and then maps CR/LF to spaces; a byte that is not ASCII is shown as U+FFFD
    /// because a Swift `String` cannot hold a lone invalid octet.
    static func expectedDollar(got byte: UInt8) -> ProtocolError {
        let shown: Character
        switch byte {
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"): shown = " "
        case 0..<0x80: shown = Character(Unicode.Scalar(byte))
        default: shown = "\u{FFFD}"
        }
        return ProtocolError("Protocol error: expected '$', got '\(shown)'")
    }
}
