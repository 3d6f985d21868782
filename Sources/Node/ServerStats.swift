// ServerStats: counters behind INFO stats, reset by CONFIG RESETSTAT (per-command
// counters live in each CommandSpec).

/// The node's counters.
public struct ServerStats {
    public var totalConnections = 0
    public var rejectedConnections = 0
    public var commandsProcessed = 0
    public var netInputBytes = 0
    public var netOutputBytes = 0
    public var expiredKeys = 0
    public var keyspaceHits = 0
    public var keyspaceMisses = 0
    public var errorReplies = 0
    public var blockedClients = 0
    public var pubsubMessages = 0
    /// Full resynchronizations served (INFO sync_full).
    public var syncFull = 0
    /// PSYNCs answered with +CONTINUE (INFO sync_partial_ok).
    public var syncPartialOK = 0
    /// PSYNCs that could not continue, "?" excepted (INFO sync_partial_err).
    public var syncPartialErr = 0
    /// Error replies by their prefix ("ERR", "WRONGTYPE" …), for INFO errorstats.
    public var errorsByPrefix: [String: Int] = [:]

    /// Counts one error reply.
    public mutating func recordError(_ message: String) {
        errorReplies += 1
        let prefix = message.prefix { $0 != " " }
        errorsByPrefix[String(prefix.prefix(128)), default: 0] += 1
    }

    /// CONFIG RESETSTAT: zero the counters that Redis resets (gauges like blocked clients stay).
    public mutating func reset() {
        let blocked = blockedClients
        self = ServerStats()
        blockedClients = blocked
    }
}
