// SentinelInput: everything that can happen to a sentinel, as the shell
// reports it to the core — timer ticks, link changes, replies to the
// requests the core asked for, and hello messages. The core never sees a
// socket: replies arrive already classified.

/// How an instance answered PING (Redis's sentinelPingReplyCallback).
public enum PingReply: Sendable, Equatable {
    /// `+PONG`, `-LOADING` or `-MASTERDOWN`: the instance is available.
    case available(isPong: Bool)
    /// `-BUSY …`: a script is running (Redis may kill it; Vigil has no scripts).
    case busy
    /// Any other reply: the link works but the instance is not OK.
    case other
}

/// A peer's answer to `SENTINEL is-master-down-by-addr` (Redis: `[down, leader, leader-epoch]`).
public struct MasterStateReply: Sendable, Equatable {
    public var isDown: Bool
    /// The peer's vote in `leaderEpoch`, or `*` when it did not vote.
    public var leader: String
    public var leaderEpoch: UInt64

    public init(isDown: Bool, leader: String, leaderEpoch: UInt64) {
        self.isDown = isDown
        self.leader = leader
        self.leaderEpoch = leaderEpoch
    }
}

/// An input to `SentinelCore.handle`.
public enum SentinelInput: Sendable, Equatable {
    /// The periodic timer (every ~100 ms). `wallClock` (unix ms), when given,
    /// lets the core notice clock jumps as well as stalls (TILT).
    case tick(wallClock: Int64?)
    /// The command link to an address connected (and authenticated).
    case linkUp(InstanceAddress)
    /// The command link to an address failed or closed.
    case linkDown(InstanceAddress)
    case pingReply(InstanceAddress, PingReply)
    /// The text of an INFO reply.
    case infoReply(InstanceAddress, String)
    /// A peer sentinel's reply to is-master-down-by-addr; nil when malformed.
    case masterStateReply(from: InstanceAddress, masterName: String, MasterStateReply?)
    /// A `__sentinel__:hello` payload, received on any node's channel or by PUBLISH.
    case hello(String)
    /// `CLIENT PAUSE … WRITE` and the INFO after it were answered (switchover):
    /// the master's `master_repl_offset` once writes stopped, nil when the pause failed.
    case writesPaused(InstanceAddress, masterOffset: Int64?)
}
