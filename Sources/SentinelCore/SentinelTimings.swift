// SentinelTimings: the periods and timeouts of the sentinel's protocol, in
// milliseconds — Redis's SENTINEL_* constants, as a value so `SENTINEL DEBUG`
// and tests can shorten them. Per-master settings (down-after, failover
// timeout) live in MasterRecord, not here.

/// Protocol periods and timeouts (ms). Defaults are Redis 7.0's.
public struct SentinelTimings: Sendable, Equatable {
    /// INFO to masters and replicas when nothing is going on.
    public var infoPeriod: Int64 = 10_000
    /// PING to every instance (or down-after, when smaller).
    public var pingPeriod: Int64 = 1_000
    /// How often peers are asked about a master we consider down.
    public var askPeriod: Int64 = 1_000
    /// Hello messages on `__sentinel__:hello`.
    public var publishPeriod: Int64 = 2_000
    /// down-after-milliseconds for masters that do not set it.
    public var defaultDownAfter: Int64 = 30_000
    /// failover-timeout for masters that do not set it.
    public var defaultFailoverTimeout: Int64 = 180_000
    /// A gap between two ticks longer than this enters TILT.
    public var tiltTrigger: Int64 = 2_000
    /// How long TILT lasts once the clock behaves again.
    public var tiltPeriod: Int64 = 30_000
    /// A replica sent SLAVEOF that has not started syncing by then is done anyway.
    public var replicaReconfTimeout: Int64 = 10_000
    /// Longest wait for votes before an election is abandoned (capped by failover-timeout).
    public var electionTimeout: Int64 = 10_000
    /// Random spread added to a failover start, so sentinels do not all start together.
    public var maxDesync: Int64 = 1_000
    /// Vigil: after a failed election, the next attempt waits a random time in this range instead of 2×failover-timeout.
    public var retryDelayRange: ClosedRange<Int64> = 300...2_500
    /// Vigil: SENTINEL FAILOVER pauses the old master's writes for at most this long.
    public var switchoverPause: Int64 = 2_000

    public init() {}

    /// The names `SENTINEL DEBUG` lists and sets, with their values.
    public var debugFields: [(String, Int64)] {
        [("INFO-PERIOD", infoPeriod), ("PING-PERIOD", pingPeriod), ("ASK-PERIOD", askPeriod),
         ("PUBLISH-PERIOD", publishPeriod), ("DEFAULT-DOWN-AFTER", defaultDownAfter),
         ("DEFAULT-FAILOVER-TIMEOUT", defaultFailoverTimeout), ("TILT-TRIGGER", tiltTrigger),
         ("TILT-PERIOD", tiltPeriod), ("SLAVE-RECONF-TIMEOUT", replicaReconfTimeout),
         ("ELECTION-TIMEOUT", electionTimeout)]
    }

    /// Sets one `SENTINEL DEBUG` field (case-insensitive); false for an unknown name or a value ≤ 0.
    public mutating func set(_ name: String, _ value: Int64) -> Bool {
        guard value > 0 else { return false }
        switch name.uppercased() {
        case "INFO-PERIOD": infoPeriod = value
        case "PING-PERIOD": pingPeriod = value
        case "ASK-PERIOD": askPeriod = value
        case "PUBLISH-PERIOD": publishPeriod = value
        case "DEFAULT-DOWN-AFTER": defaultDownAfter = value
        case "DEFAULT-FAILOVER-TIMEOUT": defaultFailoverTimeout = value
        case "TILT-TRIGGER": tiltTrigger = value
        case "TILT-PERIOD": tiltPeriod = value
        case "SLAVE-RECONF-TIMEOUT": replicaReconfTimeout = value
        case "ELECTION-TIMEOUT": electionTimeout = value
        default: return false
        }
        return true
    }
}
