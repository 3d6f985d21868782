// SentinelAction: what the core asks its shell to do. The shell performs
// actions in order; `persistConfig` must be durable before anything after
// it is sent (a vote is persisted before the reply that carries it).

/// A request to a node or peer sentinel.
public enum InstanceRequest: Sendable, Equatable {
    case ping
    case info
    /// `PUBLISH __sentinel__:hello <payload>`.
    /// The payload's first field (the announced IP) is prefixed by the shell:
    /// `announceIP` when set, else the local address of the link.
    case publishHello(announceIP: String?, rest: String)
    /// `SENTINEL is-master-down-by-addr <ip> <port> <epoch> <runid|*>`.
    case askMasterState(masterName: String, masterAddress: InstanceAddress, currentEpoch: UInt64, candidate: String?)
    /// `MULTI; SLAVEOF host port | NO ONE; CONFIG REWRITE; CLIENT KILL TYPE normal;
    /// CLIENT KILL TYPE pubsub; EXEC`, then INFO (so the new role is seen at once).
    case replicaOf(InstanceAddress?)
    /// `CLIENT PAUSE <ms> WRITE` then INFO; answered with `SentinelInput.writesPaused`.
    case pauseWrites(milliseconds: Int64)
    /// `CLIENT UNPAUSE`.
    case unpause
}

/// An action for the shell.
public enum SentinelAction: Sendable, Equatable {
    /// Send a request on the command link of `address` (the link is up).
    case send(InstanceAddress, InstanceRequest)
    /// Log, publish and record an event.
    case event(SentinelEvent)
    /// Rewrite the configuration file with `SentinelCore.fileConfig()`, durably.
    case persistConfig
    /// Drop the link to `address` and reconnect (stale, unanswered link).
    case resetLink(InstanceAddress)
    /// SENTINEL SIMULATE-FAILURE: exit the process now.
    case simulatedCrash
}
