// InfoReport: what a sentinel learns from a node's `INFO` reply — identity,
// role, the replica's view of its master, and the master's list of replicas.
// Parsing follows Redis 7.0's sentinelRefreshInstanceInfo:
//
//   1. The text is split into lines at "\n" (a trailing "\r" is dropped, so
//      CRLF and LF both work). "# Section" headers, blank lines and lines
//      without ':' are ignored; a line is `key:value`, split at the first ':'.
//   2. `run_id` counts only when it is exactly 40 characters.
//   3. `role:master` / `role:slave` set the role; the replica-side fields
//      (master_host, master_port, master_link_status, slave_priority /
//      replica_priority, slave_repl_offset, replica_announced) are read only
//      after a `role:slave` line, as Redis reads them only while the role it
//      has parsed so far is "slave" (INFO prints role first).
//   4. `slaveN:` lines (N = digits) list replicas, in the 2.8+ form
//      `ip=…,port=…,state=…,offset=…,lag=…` (any order, unknown fields
//      ignored) or the old `<ip>,<port>,<state>` form. Entries without an ip
//      or with a port outside 1...65535 are skipped.
//   5. Numbers are strict decimals; a value that does not parse (garbage,
//      overflow) leaves the field at its default instead of becoming 0 as
//      atoi would — a priority of 0 means "never promote", so garbage must
//      not silently produce it.
// Invariant: `parse` never fails and never traps, whatever the input.

/// A parsed `INFO` reply (only the fields a sentinel uses).
public struct InfoReport: Sendable, Equatable {
    /// The role a node reports.
    public enum Role: Sendable, Equatable {
        case master
        case replica
    }

    /// One `slaveN:` line of a master's INFO.
    public struct ReplicaLine: Sendable, Equatable {
        /// The replica's address as the master sees it (`ip=`).
        public var host: String
        /// The replica's listening port (`port=`), 1...65535.
        public var port: Int
        /// `state=` (wait_bgsave, send_bulk, online, …); "" when absent.
        public var state: String
        /// `offset=`: replication offset the replica acknowledged; 0 when absent.
        public var offset: Int64
        /// `lag=`: seconds since the last ack; 0 when absent.
        public var lag: Int

        public init(host: String, port: Int, state: String = "", offset: Int64 = 0, lag: Int = 0) {
            self.host = host
            self.port = port
            self.state = state
            self.offset = offset
            self.lag = lag
        }
    }

    /// `run_id`, when exactly 40 characters.
    public var runID: String?
    /// `role`, when master or slave.
    public var role: Role?
    /// `redis_version`.
    public var redisVersion: String?

    // Replica side (read only after `role:slave`).

    /// `master_host`: the master this replica replicates from.
    public var masterHost: String?
    /// `master_port`, when a number in 0...65535.
    public var masterPort: Int?
    /// `master_link_status:up` (case-insensitive).
    public var masterLinkUp: Bool
    /// `master_link_down_since_seconds`, as reported (Redis 7 prints -1
    /// when the link was never up); nil when absent, i.e. the link is up.
    public var masterLinkDownSinceSeconds: Int?
    /// `slave_priority` or `replica_priority`; 100 when absent.
    public var replicaPriority: Int
    /// `slave_repl_offset`; 0 when absent.
    public var replicaOffset: Int64
    /// `replica_announced` (non-zero = true); true when absent.
    public var replicaAnnounced: Bool

    // Master side.

    /// `master_repl_offset`; 0 when absent.
    public var masterReplicationOffset: Int64
    /// The `slaveN:` lines, in order.
    public var replicas: [ReplicaLine]

    /// The default replica priority Redis assumes (SENTINEL_DEFAULT_SLAVE_PRIORITY).
    public static let defaultReplicaPriority = 100

    public init(runID: String? = nil, role: Role? = nil, redisVersion: String? = nil,
                masterHost: String? = nil, masterPort: Int? = nil, masterLinkUp: Bool = false,
                masterLinkDownSinceSeconds: Int? = nil, replicaPriority: Int = InfoReport.defaultReplicaPriority,
                replicaOffset: Int64 = 0, replicaAnnounced: Bool = true,
                masterReplicationOffset: Int64 = 0, replicas: [ReplicaLine] = []) {
        self.runID = runID
        self.role = role
        self.redisVersion = redisVersion
        self.masterHost = masterHost
        self.masterPort = masterPort
        self.masterLinkUp = masterLinkUp
        self.masterLinkDownSinceSeconds = masterLinkDownSinceSeconds
        self.replicaPriority = replicaPriority
        self.replicaOffset = replicaOffset
        self.replicaAnnounced = replicaAnnounced
        self.masterReplicationOffset = masterReplicationOffset
        self.replicas = replicas
    }

    /// Parses INFO text (see file header). Never fails: unknown and
    /// malformed lines are ignored.
    public static func parse(_ text: String) -> InfoReport {
        var report = InfoReport()
        for raw in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var line = raw
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = Substring(line[..<colon])
            let value = Substring(line[line.index(after: colon)...])
            report.apply(key: key, value: value)
        }
        return report
    }

    private mutating func apply(key: Substring, value: Substring) {
        switch key {
        case "run_id":
            if value.utf8.count == SentinelSyntax.runIDLength { runID = String(value) }
        case "redis_version":
            redisVersion = String(value)
        case "role":
            if value == "master" { role = .master } else if value == "slave" { role = .replica }
        case "master_link_down_since_seconds":
            if let v = SentinelSyntax.signedInt64(value) { masterLinkDownSinceSeconds = Int(v) }
        case "master_repl_offset":
            if let v = SentinelSyntax.int64(value) { masterReplicationOffset = v }
        default:
            if role == .replica && applyReplicaSide(key: key, value: value) { return }
            if let replica = InfoReport.replicaLine(key: key, value: value) { replicas.append(replica) }
        }
    }

    /// Replica-side fields; true when `key` was one of them.
    private mutating func applyReplicaSide(key: Substring, value: Substring) -> Bool {
        switch key {
        case "master_host":
            masterHost = String(value)
        case "master_port":
            if let v = SentinelSyntax.uint64(value), v <= 65535 { masterPort = Int(v) }
        case "master_link_status":
            masterLinkUp = value.lowercased() == "up"
        case "slave_priority", "replica_priority":
            if let v = SentinelSyntax.signedInt64(value), let p = Int32(exactly: v) { replicaPriority = Int(p) }
        case "slave_repl_offset":
            if let v = SentinelSyntax.int64(value) { replicaOffset = v }
        case "replica_announced":
            if let v = SentinelSyntax.signedInt64(value) { replicaAnnounced = v != 0 }
        default:
            return false
        }
        return true
    }

    /// A `slaveN:` line as a replica entry; nil for other keys and for
    /// entries without a usable ip and port.
    static func replicaLine(key: Substring, value: Substring) -> ReplicaLine? {
        let digits = key.utf8.dropFirst(5)
        guard key.hasPrefix("slave"), !digits.isEmpty,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let fields = value.split(separator: ",", omittingEmptySubsequences: false)
        if value.contains("=") {
            var host: Substring?, port: Int?, state: Substring = "", offset: Int64 = 0, lag = 0
            for field in fields {
                guard let eq = field.firstIndex(of: "=") else { continue }
                let v = field[field.index(after: eq)...]
                switch field[..<eq] {
                case "ip": host = v
                case "port": port = SentinelSyntax.port(v)
                case "state": state = v
                case "offset": offset = SentinelSyntax.int64(v) ?? 0
                case "lag": lag = SentinelSyntax.int64(v).flatMap { Int(exactly: $0) } ?? 0
                default: break
                }
            }
            guard let host, !host.isEmpty, let port else { return nil }
            return ReplicaLine(host: String(host), port: port, state: String(state), offset: offset, lag: lag)
        }
        // Pre-2.8: <ip>,<port>,<state>
        guard fields.count >= 3, !fields[0].isEmpty, let port = SentinelSyntax.port(fields[1]) else { return nil }
        return ReplicaLine(host: String(fields[0]), port: port, state: String(fields[2]))
    }
}
