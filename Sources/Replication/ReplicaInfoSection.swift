// ReplicaInfoSection.swift — the replica-only lines of INFO replication, in
// Redis 7.0's order and format (between "role:slave" and "connected_slaves").
//
// Invariants: a pure formatter — the driver supplies the facts; nothing here
// reads a clock. Optional groups appear exactly when Redis prints them: the
// master_sync_* block only during a snapshot transfer, and
// master_link_down_since_seconds whenever the link is not up.

/// The facts INFO reports about a replica's link to its master.
public struct ReplicaInfoSection: Equatable, Sendable {
    /// Progress of a snapshot transfer.
    public struct Transfer: Equatable, Sendable {
        /// Announced size (0 for an EOF-marked transfer), RDBPayloadFramer.transferSize.
        public var size: Int64
        /// Bytes read so far, RDBPayloadFramer.transferRead.
        public var read: Int64
        /// Seconds since the last byte (or keepalive) arrived.
        public var lastIOSecondsAgo: Int64

        /// Creates transfer progress.
        public init(size: Int64, read: Int64, lastIOSecondsAgo: Int64) {
            self.size = size
            self.read = read
            self.lastIOSecondsAgo = lastIOSecondsAgo
        }
    }

    /// The configured master address (replicaof).
    public var masterHost: String
    /// The configured master port.
    public var masterPort: Int
    /// The master link is streaming (Redis's REPL_STATE_CONNECTED).
    public var linkUp: Bool
    /// Seconds since the master client last sent anything; -1 when there is no master client.
    public var lastIOSecondsAgo: Int64
    /// The snapshot transfer, when one is in progress.
    public var transfer: Transfer?
    /// Bytes read from the master (read_reploff); Redis shows 1 with no (cached) master client.
    public var readReplOffset: Int64
    /// Bytes applied (reploff); Redis shows 1 with no (cached) master client.
    public var replOffset: Int64
    /// Seconds since the link went down; nil when it never came up (Redis prints -1).
    public var linkDownSinceSeconds: Int64?
    /// replica-priority.
    public var priority: Int
    /// replica-read-only.
    public var readOnly: Bool
    /// replica-announced.
    public var announced: Bool

    /// Creates the section's facts.
    public init(masterHost: String, masterPort: Int, linkUp: Bool, lastIOSecondsAgo: Int64, transfer: Transfer? = nil,
                readReplOffset: Int64, replOffset: Int64, linkDownSinceSeconds: Int64?,
                priority: Int = 100, readOnly: Bool = true, announced: Bool = true) {
        self.masterHost = masterHost
        self.masterPort = masterPort
        self.linkUp = linkUp
        self.lastIOSecondsAgo = lastIOSecondsAgo
        self.transfer = transfer
        self.readReplOffset = readReplOffset
        self.replOffset = replOffset
        self.linkDownSinceSeconds = linkDownSinceSeconds
        self.priority = priority
        self.readOnly = readOnly
        self.announced = announced
    }

    /// The lines, without "\r\n".
    public var lines: [String] {
        var out = [
            "master_host:\(masterHost)",
            "master_port:\(masterPort)",
            "master_link_status:\(linkUp ? "up" : "down")",
            "master_last_io_seconds_ago:\(lastIOSecondsAgo)",
            "master_sync_in_progress:\(transfer == nil ? 0 : 1)",
            "slave_read_repl_offset:\(readReplOffset)",
            "slave_repl_offset:\(replOffset)",
        ]
        if let t = transfer {
            let percent = t.size != 0 ? Double(t.read) / Double(t.size) * 100 : 0
            out += [
                "master_sync_total_bytes:\(t.size)",
                "master_sync_read_bytes:\(t.read)",
                "master_sync_left_bytes:\(t.size - t.read)",
                "master_sync_perc:\(twoDecimals(percent))",
                "master_sync_last_io_seconds_ago:\(t.lastIOSecondsAgo)",
            ]
        }
        if !linkUp {
            out.append("master_link_down_since_seconds:\(linkDownSinceSeconds ?? -1)")
        }
        out += [
            "slave_priority:\(priority)",
            "slave_read_only:\(readOnly ? 1 : 0)",
            "replica_announced:\(announced ? 1 : 0)",
        ]
        return out
    }
}

/// printf("%.2f") for a finite, non-negative value.
func twoDecimals(_ v: Double) -> String {
    guard v.isFinite else { return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan") }
    let negative = v < 0
    let scaled = (abs(v) * 100).rounded(.toNearestOrEven)
    let cents = Int64(scaled)
    let frac = cents % 100
    return (negative && cents != 0 ? "-" : "") + "\(cents / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
}
