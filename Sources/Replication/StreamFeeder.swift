// StreamFeeder.swift — turns applied writes into replication-stream bytes,
// inserting `SELECT <db>` whenever the database changes (Redis's
// replicationFeedSlaves), and wrapping multi-op propagations in MULTI/EXEC
// (Redis 7.0's propagatePendingCommands).
//
// Invariants: `selectedDB` is the database of the last command written to the
// stream, or nil (Redis's slaveseldb == -1) when the next command must be
// preceded by a SELECT — after a full sync starts, after promotion, and
// initially. SELECT is encoded as Redis's shared multibulk
// "*2\r\n$6\r\nSELECT\r\n$<n>\r\n<db>\r\n". Command bytes are forwarded
// verbatim ("replicate bytes"): argument case is the client's.

import RESP

/// Encodes writes into the replication stream, tracking the selected database.
public struct StreamFeeder: Sendable {
    /// The database the stream is in, or nil when a SELECT must come first.
    public private(set) var selectedDB: Int?

    /// A feeder whose first command will be preceded by SELECT.
    public init() {}

    /// Forces a SELECT before the next command (Redis sets slaveseldb = -1
    /// when a full sync starts and on promotion).
    public mutating func reset() { selectedDB = nil }

    /// Appends the command `args` executed in `db` to `out`, preceded by a
    /// SELECT when the stream is in another database.
    public mutating func append(db: Int, args: [Bytes], to out: inout Bytes) {
        selectIfNeeded(db, into: &out)
        out.append(contentsOf: encodeCommand(args))
    }

    /// Appends an already RESP-encoded command executed in `db` (its exact
    /// bytes, e.g. what the client sent), preceded by a SELECT when needed.
    public mutating func append(db: Int, encodedCommand: some Collection<UInt8>, to out: inout Bytes) {
        selectIfNeeded(db, into: &out)
        out.append(contentsOf: encodedCommand)
    }

    /// The stream bytes for `args` executed in `db`.
    public mutating func encode(db: Int, args: [Bytes]) -> Bytes {
        var out = Bytes()
        append(db: db, args: args, to: &out)
        return out
    }

    /// Appends the ops of one command's propagation. More than one op is
    /// wrapped in MULTI … EXEC; MULTI takes the first op's database (so a
    /// SELECT precedes it) and EXEC the last one's, as Redis 7.0 does.
    public mutating func appendTransaction(_ ops: [(db: Int, args: [Bytes])], to out: inout Bytes) {
        guard let first = ops.first, let last = ops.last else { return }
        if ops.count == 1 {
            append(db: first.db, args: first.args, to: &out)
            return
        }
        append(db: first.db, args: PropagatedCommand.multi, to: &out)
        for op in ops { append(db: op.db, args: op.args, to: &out) }
        append(db: last.db, args: PropagatedCommand.exec, to: &out)
    }

    /// Appends a command that is not about any database — the periodic
    /// `ping`, `REPLCONF GETACK *`. Redis feeds these with the stream's
    /// current database, so they never cause a SELECT.
    public func appendWithoutSelect(args: [Bytes], to out: inout Bytes) {
        out.append(contentsOf: encodeCommand(args))
    }

    /// Redis's SELECT multibulk for `db`.
    public static func selectCommand(_ db: Int) -> Bytes {
        let digits = Array(String(db).utf8)
        var out = Array("*2\r\n$6\r\nSELECT\r\n$\(digits.count)\r\n".utf8)
        out.append(contentsOf: digits)
        out.append(13)
        out.append(10)
        return out
    }

    mutating func selectIfNeeded(_ db: Int, into out: inout Bytes) {
        if selectedDB != db {
            out.append(contentsOf: StreamFeeder.selectCommand(db))
            selectedDB = db
        }
    }
}
