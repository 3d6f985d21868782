// HandshakeFailure.swift — why a replica's attempt to sync with its master
// ended, with the texts Redis 7.0 logs. After any of these the link is closed
// and the replica tries again (state "connect").

import RESP

/// Why a sync attempt with the master failed.
public enum HandshakeFailure: Equatable, Sendable {
    /// The non-blocking connect failed (errno text, e.g. "Connection refused").
    case connectError(String)
    /// The connection closed or failed while waiting for a handshake reply.
    case noResponse(String)
    /// PING got an error other than an authentication error.
    case pingRejected(String)
    /// AUTH (masterauth / masteruser) was refused.
    case authRejected(String)
    /// The master could not answer PSYNC now (-NOMASTERLINK, -LOADING, or no reply).
    case tryLater(String)
    /// repl-timeout elapsed before the handshake finished.
    case handshakeTimeout
    /// repl-timeout elapsed without snapshot bytes.
    case transferTimeout
    /// Receiving or loading the snapshot failed (the log line says why).
    case transferFailed(String)
    /// The master broke the protocol in a way Redis does not handle.
    case protocolViolation(String)

    /// True when Redis reconnects at once ("Reconnecting to MASTER %s:%d after
    /// failure", cancelReplicationHandshake(1)); otherwise it waits for the next
    /// replication cron (about a second) and logs "Connecting to MASTER %s:%d".
    public var reconnectsImmediately: Bool {
        switch self {
        case .handshakeTimeout, .transferTimeout, .transferFailed: return true
        case .connectError, .noResponse, .pingRejected, .authRejected, .tryLater, .protocolViolation: return false
        }
    }
}

/// Log texts of the snapshot phase that the link driver writes itself (it
/// owns the socket, the temporary file and the loader).
public enum TransferLog {
    /// Reading the preamble failed (EOF reads as "connection lost" in our driver; Redis prints strerror).
    public static func readErrorBeforePreamble(_ reason: String) -> ReplicationLogLine {
        .warning("I/O error reading bulk count from MASTER: \(reason)")
    }
    /// Reading payload bytes failed.
    public static func readError(_ reason: String) -> ReplicationLogLine {
        .warning("I/O error trying to sync with MASTER: \(reason)")
    }
    /// Before replacing the data set.
    public static let flushingOldData = ReplicationLogLine.notice("MASTER <-> REPLICA sync: Flushing old data")
    /// Before loading the received snapshot.
    public static let loadingDB = ReplicationLogLine.notice("MASTER <-> REPLICA sync: Loading DB in memory")
    /// Loading the snapshot from disk failed.
    public static func loadFailed(_ reason: String) -> ReplicationLogLine {
        .warning("Failed trying to load the MASTER synchronization DB from disk: \(reason)")
    }
    /// The diskless payload's trailing mark did not match.
    public static let eofMarkBroken = ReplicationLogLine.warning("Replication stream EOF marker is broken")
    /// Redis's line when it reconnects at once after a failure.
    public static func reconnecting(host: String, port: Int) -> ReplicationLogLine {
        .notice("Reconnecting to MASTER \(host):\(port) after failure")
    }
    /// Redis's line when a connection attempt starts from cron.
    public static func connecting(host: String, port: Int) -> ReplicationLogLine {
        .notice("Connecting to MASTER \(host):\(port)")
    }
    /// Logged right after a connect is started.
    public static let syncStarted = ReplicationLogLine.notice("MASTER <-> REPLICA sync started")
}
