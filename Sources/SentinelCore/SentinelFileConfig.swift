// SentinelFileConfig: the typed content of the `sentinel …` lines of a
// sentinel.conf — what the operator configured plus the state a sentinel
// persists across restarts (its ID, epochs, known replicas and sentinels).
//
// Parsing lives in SentinelFileConfig+Parse.swift, rendering back to lines
// (CONFIG REWRITE-style persistence) in SentinelFileConfig+Render.swift.
//
// Invariants of a parsed value:
//   - master names are unique, non-empty, free of blanks, control bytes and
//     ','; `masters` is in the order of their `monitor` lines;
//   - ports are 1...65535 (announcePort: nil or 1...65535), quorum and
//     parallelSyncs ≥ 1, time periods in range, IDs 40 lowercase hex digits;
//   - `currentEpoch` ≥ every master's `configEpoch` (Redis raises it);
//   - empty strings are stored as nil (announce-ip, passwords, users);
//   - `renamedCommands` keys are lowercased.
// `parse(lines())` returns the same value for any value with these
// invariants (tested round trip).

/// The `sentinel …` directives of a configuration file, typed.
public struct SentinelFileConfig: Sendable, Equatable {
    /// `sentinel myid`: this sentinel's ID; nil until one is generated.
    public var myID: String?
    /// `sentinel current-epoch` (the largest if repeated).
    public var currentEpoch: UInt64
    /// `sentinel announce-ip`: the address to advertise in hello messages.
    public var announceIP: String?
    /// `sentinel announce-port`: the port to advertise; nil = the real port
    /// (Redis writes 0 for "none").
    public var announcePort: Int?
    /// `sentinel resolve-hostnames`: accept hostnames as instance addresses.
    public var resolveHostnames: Bool
    /// `sentinel announce-hostnames`: advertise hostnames instead of IPs.
    public var announceHostnames: Bool
    /// `sentinel deny-scripts-reconfig` (default yes). Vigil runs no
    /// scripts; the flag is only kept and written back.
    public var denyScriptsReconfig: Bool
    /// `sentinel sentinel-user`: the user to AUTH as with other sentinels.
    public var sentinelUser: String?
    /// `sentinel sentinel-pass`: the password for other sentinels.
    public var sentinelPass: String?
    /// The monitored masters, in the order of their `monitor` lines.
    public var masters: [MasterFileConfig]

    public init(myID: String? = nil, currentEpoch: UInt64 = 0, announceIP: String? = nil,
                announcePort: Int? = nil, resolveHostnames: Bool = false, announceHostnames: Bool = false,
                denyScriptsReconfig: Bool = true, sentinelUser: String? = nil, sentinelPass: String? = nil,
                masters: [MasterFileConfig] = []) {
        self.myID = myID
        self.currentEpoch = currentEpoch
        self.announceIP = announceIP
        self.announcePort = announcePort
        self.resolveHostnames = resolveHostnames
        self.announceHostnames = announceHostnames
        self.denyScriptsReconfig = denyScriptsReconfig
        self.sentinelUser = sentinelUser
        self.sentinelPass = sentinelPass
        self.masters = masters
    }

    /// The master configured under `name`, if any.
    public func master(named name: String) -> MasterFileConfig? {
        masters.first { $0.name == name }
    }
}

/// One monitored master: its `sentinel monitor` line and the per-master
/// directives naming it.
public struct MasterFileConfig: Sendable, Equatable {
    /// An instance address (`known-replica`).
    public struct HostPort: Sendable, Equatable, Hashable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// Another sentinel monitoring the same master (`known-sentinel`).
    public struct KnownSentinel: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// Its `myid`, 40 lowercase hex digits.
        public var runID: String

        public init(host: String, port: Int, runID: String) {
            self.host = host
            self.port = port
            self.runID = runID
        }
    }

    /// Redis's defaults, omitted from rendered lines.
    public static let defaultDownAfterMilliseconds: Int64 = 30_000
    public static let defaultFailoverTimeout: Int64 = 180_000
    public static let defaultParallelSyncs = 1
    /// The largest accepted time period (ms), Redis's `int` range.
    public static let maximumPeriod = Int64(Int32.max)

    /// The name clients ask for (`SENTINEL GET-MASTER-ADDR-BY-NAME`).
    public var name: String
    /// The master's current host (IP, or name with resolve-hostnames).
    public var host: String
    /// The master's port, 1...65535.
    public var port: Int
    /// Sentinels that must agree the master is down for ODOWN, ≥ 1.
    public var quorum: Int
    /// `down-after-milliseconds`: silence before SDOWN, > 0.
    public var downAfterMilliseconds: Int64
    /// `failover-timeout` in milliseconds, > 0.
    public var failoverTimeout: Int64
    /// `parallel-syncs`: replicas reconfigured at once after a failover, ≥ 1.
    public var parallelSyncs: Int
    /// `auth-pass`: password for the master and its replicas.
    public var authPass: String?
    /// `auth-user`: ACL user for the master and its replicas.
    public var authUser: String?
    /// `config-epoch`: epoch of the configuration that made `host:port` master.
    public var configEpoch: UInt64
    /// `leader-epoch`: epoch of this sentinel's last vote for this master.
    public var leaderEpoch: UInt64
    /// `master-reboot-down-after-period` in ms, ≥ 0 (0 = disabled).
    public var masterRebootDownAfterPeriod: Int64
    /// `known-replica` (or `known-slave`) lines, in file order, unique.
    public var knownReplicas: [HostPort]
    /// `known-sentinel` lines, in file order, unique by run ID.
    public var knownSentinels: [KnownSentinel]
    /// `rename-command`: lowercased original name → name to send instead.
    public var renamedCommands: [String: String]

    public init(name: String, host: String, port: Int, quorum: Int,
                downAfterMilliseconds: Int64 = MasterFileConfig.defaultDownAfterMilliseconds,
                failoverTimeout: Int64 = MasterFileConfig.defaultFailoverTimeout,
                parallelSyncs: Int = MasterFileConfig.defaultParallelSyncs,
                authPass: String? = nil, authUser: String? = nil,
                configEpoch: UInt64 = 0, leaderEpoch: UInt64 = 0,
                masterRebootDownAfterPeriod: Int64 = 0,
                knownReplicas: [HostPort] = [], knownSentinels: [KnownSentinel] = [],
                renamedCommands: [String: String] = [:]) {
        self.name = name
        self.host = host
        self.port = port
        self.quorum = quorum
        self.downAfterMilliseconds = downAfterMilliseconds
        self.failoverTimeout = failoverTimeout
        self.parallelSyncs = parallelSyncs
        self.authPass = authPass
        self.authUser = authUser
        self.configEpoch = configEpoch
        self.leaderEpoch = leaderEpoch
        self.masterRebootDownAfterPeriod = masterRebootDownAfterPeriod
        self.knownReplicas = knownReplicas
        self.knownSentinels = knownSentinels
        self.renamedCommands = renamedCommands
    }
}
