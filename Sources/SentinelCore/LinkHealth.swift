// LinkHealth: what the sentinel knows about reaching one instance — Redis's
// instanceLink timestamps. All times are the core's monotonic ms.
//
// Invariants: `pendingPingSince` is set when a PING is sent with none
// outstanding and cleared by an available reply (Redis's act_ping_time);
// `lastAvailable` only moves forward.

/// Reachability bookkeeping of one instance.
public struct LinkHealth: Sendable, Equatable {
    /// The command link is connected.
    public var isConnected = false
    /// When the link last connected (or was created, if never).
    public var connectedSince: Int64
    /// Oldest PING still unanswered (act_ping_time), nil when none.
    public var pendingPingSince: Int64?
    /// Last PING sent.
    public var lastPingSent: Int64 = 0
    /// Last reply of any kind to PING.
    public var lastPong: Int64
    /// Last available reply (PONG, LOADING, MASTERDOWN) — Redis's last_avail_time.
    public var lastAvailable: Int64
    /// When the link was last seen going down, nil while up.
    public var disconnectedSince: Int64?

    public init(now: Int64) {
        connectedSince = now
        lastPong = now
        lastAvailable = now
        disconnectedSince = now
    }

    /// Milliseconds without an available reply, as the SDOWN check measures it.
    public func silence(now: Int64) -> Int64 {
        if let pendingPingSince { return now - pendingPingSince }
        if !isConnected { return now - lastAvailable }
        return 0
    }

    /// Age of the last available reply (last-ok-ping-reply).
    public func sinceAvailable(now: Int64) -> Int64 { now - lastAvailable }

    mutating func connected(now: Int64) {
        isConnected = true
        connectedSince = now
        disconnectedSince = nil
        // Redis keeps act_ping_time across reconnects; a new link gets a fresh ping.
    }

    mutating func disconnected(now: Int64) {
        if isConnected { disconnectedSince = now }
        isConnected = false
    }

    mutating func pingSent(now: Int64) {
        lastPingSent = now
        if pendingPingSince == nil { pendingPingSince = now }
    }

    mutating func pingAnswered(_ reply: PingReply, now: Int64) {
        lastPong = now
        if case .available = reply {
            lastAvailable = now
            pendingPingSince = nil
        }
    }
}
