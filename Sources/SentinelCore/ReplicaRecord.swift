// ReplicaRecord: one replica of a monitored master, as discovered from the
// master's INFO (or remembered from the config file) and refreshed from the
// replica's own INFO.

/// Where a replica stands in a failover's reconfiguration (Redis's
/// SRI_RECONF_SENT → SRI_RECONF_INPROG → SRI_RECONF_DONE).
public enum ReconfigurationState: Sendable, Equatable {
    case none
    /// SLAVEOF sent at this time; waiting for INFO to show the new master.
    case sent(at: Int64)
    /// INFO shows the new master; waiting for master_link_status:up.
    case inProgress
    case done
}

/// A replica of a monitored master.
public struct ReplicaRecord: Sendable, Equatable {
    public var node: NodeRecord
    /// From the replica's INFO.
    public var masterHost: String?
    public var masterPort: Int?
    public var masterLinkUp = false
    /// master_link_down_since_seconds × 1000 (0 while up).
    public var masterLinkDownTime: Int64 = 0
    public var priority = 100
    public var replicationOffset: Int64 = 0
    public var announced = true
    /// When the replica's configured master last changed (slave_conf_change_time).
    public var configChangedAt: Int64
    /// Chosen for promotion in the current failover (SRI_PROMOTED).
    public var isPromoted = false
    public var reconfiguration: ReconfigurationState = .none
    /// Last SLAVEOF sent outside a failover (convert / fix), to send at most one a second.
    public var lastReconfigureSent: Int64?

    public init(address: InstanceAddress, now: Int64) {
        node = NodeRecord(address: address, now: now)
        configChangedAt = now
    }

    public var address: InstanceAddress { node.address }

    /// True when INFO says this replica follows `address`.
    public func follows(_ address: InstanceAddress) -> Bool {
        masterHost == address.host && masterPort == address.port
    }
}
