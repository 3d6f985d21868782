// PSYNCDecision.swift — the master's answer to `PSYNC <replid> <offset>`:
// continue from the backlog, or a full resync (Redis's
// masterTryPartialResynchronization), with Redis's log texts and replies.
//
// The rules, in order (offset = the first byte the replica lacks):
//
// 1. The id must be our current id, or our previous id (replid2) with
//    offset <= second_repl_offset (the previous history is only ours up to
//    the promotion point). Ids compare ignoring ASCII case. "?" (any id whose
//    first character is '?') asks for a full resync explicitly.
// 2. A backlog must exist and hold the offset:
//    first_byte_offset <= offset <= first_byte_offset + histlen.
//    An offset past our own master_repl_offset is additionally logged as a
//    warning (the replica claims data we never produced).
// 3. Otherwise: +CONTINUE, followed by the backlog from `offset`.
//
// Invariants: pure — the caller supplies the replica's display name for the
// log lines and does the I/O. Parsing the offset argument is separate
// (`parsePSYNCOffset`) because Redis rejects a malformed offset with an error
// reply before deciding anything.

import RESP

/// The outcome of a PSYNC request.
public enum PSYNCDecision: Equatable, Sendable {
    /// Partial resync: reply +CONTINUE and send the backlog from the requested
    /// offset. `sameID` is false when the request named our secondary id.
    case `continue`(sameID: Bool)
    /// A full resync is needed; the reason carries Redis's log text.
    case fullResync(FullResyncReason)
}

/// Why a PSYNC cannot continue.
public enum FullResyncReason: Equatable, Sendable {
    /// The replica sent "?" (it has no history to continue).
    case requestedByReplica
    /// The id is neither our current nor our secondary id.
    case replicationIDMismatch(requested: String, replID: ReplicationID, replID2: ReplicationID)
    /// The id is our secondary id but the offset lies past its validity.
    case secondaryIDOffsetTooHigh(requested: Int64, validUpTo: Int64)
    /// No backlog, or the offset is outside it. `beyondMasterOffset` when the
    /// requested offset exceeds our master_repl_offset.
    case notInBacklog(requested: Int64, beyondMasterOffset: Bool)

    /// Redis's log lines for this reason; `replicaName` as Redis prints it
    /// ("ip:port", see `ReplicaRegistry.name(of:)`).
    public func logLines(replicaName: String) -> [ReplicationLogLine] {
        switch self {
        case .requestedByReplica:
            return [.notice("Full resync requested by replica \(replicaName)")]
        case .replicationIDMismatch(let requested, let id, let id2):
            return [.notice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '\(requested)', my replication IDs are '\(id)' and '\(id2)')")]
        case .secondaryIDOffsetTooHigh(let requested, let limit):
            return [.notice("Partial resynchronization not accepted: Requested offset for second ID was \(requested), but I can reply up to \(limit)")]
        case .notInBacklog(let requested, let beyond):
            var lines: [ReplicationLogLine] = [.notice("Unable to partial resync with replica \(replicaName) for lack of backlog (Replica request was: \(requested)).")]
            if beyond {
                lines.append(.warning("Warning: replica \(replicaName) tried to PSYNC with an offset that is greater than the master replication offset."))
            }
            return lines
        }
    }

    /// True when this counts as a failed partial resync attempt (INFO
    /// `sync_partial_err`): every reason except an explicit "?".
    public var countsAsPartialError: Bool {
        if case .requestedByReplica = self { return false }
        return true
    }
}

extension ReplicationHistory {
    /// Decides a `PSYNC requestedID requestedOffset` against this history and
    /// `backlog` (nil when there is none). See the rules in the file header.
    public func decidePSYNC(requestedID: Bytes, requestedOffset: Int64, backlog: ReplicationBacklog?) -> PSYNCDecision {
        let isCurrent = replID.matches(requestedID)
        if !isCurrent && (!replID2.matches(requestedID) || requestedOffset > secondReplOffset) {
            if requestedID.first == UInt8(ascii: "?") {
                return .fullResync(.requestedByReplica)
            }
            if !replID2.matches(requestedID) {
                return .fullResync(.replicationIDMismatch(requested: String(decoding: requestedID, as: UTF8.self),
                                                          replID: replID, replID2: replID2))
            }
            return .fullResync(.secondaryIDOffsetTooHigh(requested: requestedOffset, validUpTo: secondReplOffset))
        }
        guard let backlog, backlog.covers(requestedOffset) else {
            return .fullResync(.notInBacklog(requested: requestedOffset, beyondMasterOffset: requestedOffset > masterReplOffset))
        }
        return .continue(sameID: isCurrent)
    }

    /// `decidePSYNC` for text ids (tests, tools).
    public func decidePSYNC(requestedID: String, requestedOffset: Int64, backlog: ReplicationBacklog?) -> PSYNCDecision {
        decidePSYNC(requestedID: Array(requestedID.utf8), requestedOffset: requestedOffset, backlog: backlog)
    }

    /// "+CONTINUE <replid>\r\n" for a replica with the psync2 capability,
    /// else "+CONTINUE\r\n".
    public func continueReply(psync2: Bool) -> Bytes {
        psync2 ? Array("+CONTINUE \(replID)\r\n".utf8) : Array("+CONTINUE\r\n".utf8)
    }

    /// "+FULLRESYNC <replid> <offset>\r\n": the reply when the RDB for a full
    /// sync starts at `offset` (the master_repl_offset when the snapshot was taken).
    public func fullResyncReply(offset: Int64) -> Bytes {
        Array("+FULLRESYNC \(replID) \(offset)\r\n".utf8)
    }
}

/// The PSYNC offset argument as Redis parses it (a whole signed 64-bit
/// decimal), or nil — then Redis logs `wrongOffsetLogLine` and replies
/// "-ERR value is not an integer or out of range" without syncing.
public func parsePSYNCOffset(_ argument: Bytes) -> Int64? {
    parseInt64(argument)
}

/// The log lines around a PSYNC/SYNC request on the master (syncCommand).
public enum SyncRequestLog {
    /// "Replica <name> asks for synchronization" (notice), logged for every SYNC/PSYNC.
    public static func asks(replicaName: String) -> ReplicationLogLine {
        .notice("Replica \(replicaName) asks for synchronization")
    }

    /// The warning for an unparsable PSYNC offset.
    public static func wrongOffset(replicaName: String) -> ReplicationLogLine {
        .warning("Replica \(replicaName) asks for synchronization but with a wrong offset")
    }

    /// The notice after +CONTINUE was sent with `byteCount` backlog bytes from `offset`.
    public static func partialAccepted(replicaName: String, byteCount: Int, offset: Int64) -> ReplicationLogLine {
        .notice("Partial resynchronization request from \(replicaName) accepted. Sending \(byteCount) bytes of backlog starting from offset \(offset).")
    }

    /// The notice when the first replica makes the master create its backlog
    /// (after a new id and a cleared secondary id).
    public static func backlogCreated(_ history: ReplicationHistory) -> ReplicationLogLine {
        .notice("Replication backlog created, my new replication IDs are '\(history.replID)' and '\(history.replID2)'")
    }
}
