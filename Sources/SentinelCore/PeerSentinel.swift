// PeerSentinel: another sentinel monitoring the same master, discovered from
// its hello messages (or remembered from the config file) — its address,
// its id, and what it last told us about the master and the election.

/// Another sentinel watching a master.
public struct PeerSentinel: Sendable, Equatable {
    public var address: InstanceAddress
    /// Its myid (nil only for a config entry never heard from, which Redis does not write).
    public var runID: String
    public var link: LinkHealth
    public var sdownSince: Int64?
    public var lastSdownStart: Int64?
    /// Last hello received from it.
    public var lastHelloReceived: Int64?
    /// Last hello we sent it directly (PUBLISH on its connection).
    public var lastHelloSent: Int64?
    /// Its last is-master-down-by-addr answer said the master is down (SRI_MASTER_DOWN).
    public var saysMasterDown = false
    /// When it last answered is-master-down-by-addr.
    public var lastMasterStateReply: Int64?
    /// When we last asked it.
    public var lastAsked: Int64?
    /// Its vote as it reported it: leader run id and epoch.
    public var leader: String?
    public var leaderEpoch: UInt64 = 0

    public init(address: InstanceAddress, runID: String, now: Int64) {
        self.address = address
        self.runID = runID
        self.link = LinkHealth(now: now)
    }

    public var isSubjectivelyDown: Bool { sdownSince != nil }
}
