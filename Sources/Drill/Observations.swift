// Observations.swift — everything a drill run recorded, raw: what the drill
// did and when, what the sentinels published, every acknowledged write, and
// the cluster's state at the points that matter. The report (DrillReport) is
// computed from this value alone, so it can be tested without processes.
//
// Invariants: every `time` is a MonotonicClock reading in nanoseconds, from
// one process, so all times compare; arrays are in the order recorded
// (ascending time per recorder).

/// A sentinel event as received on `PSUBSCRIBE *`.
public struct SentinelEventRecord: Equatable, Sendable {
    /// When it arrived.
    public var time: Int64
    /// The sentinel that published it.
    public var sentinel: NodeAddress
    /// The channel: the event's name (`+sdown`, `+switch-master` …).
    public var channel: String
    /// The message (`master mymaster 127.0.0.1 6379` …).
    public var message: String

    /// Creates a record.
    public init(time: Int64, sentinel: NodeAddress, channel: String, message: String) {
        self.time = time
        self.sentinel = sentinel
        self.channel = channel
        self.message = message
    }

    /// For `+switch-master`: the old and the new master.
    public var switchedMaster: (from: NodeAddress, to: NodeAddress)? {
        guard channel == "+switch-master" else { return nil }
        let words = message.split(separator: " ")
        guard words.count == 5, let oldPort = Int(words[2]), let newPort = Int(words[4]) else { return nil }
        return (NodeAddress(host: String(words[1]), port: oldPort), NodeAddress(host: String(words[3]), port: newPort))
    }
}

/// Something the drill did.
public struct DrillAction: Equatable, Sendable {
    /// What kind of step it was (how it is drawn).
    public enum Kind: String, Sendable {
        /// The injected fault (SIGKILL, SIGSTOP, SENTINEL FAILOVER …).
        case fault
        /// A step that is neither the fault nor a repair (killing a sentinel first …).
        case step
        /// A repair (restart, SIGCONT …).
        case recovery
    }

    /// When.
    public var time: Int64
    /// Its kind.
    public var kind: Kind
    /// What, in words ("SIGKILL master 127.0.0.1:6379 (pid 123)").
    public var text: String

    /// Creates an action.
    public init(time: Int64, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }
}

/// One acknowledged write.
public struct Ack: Equatable, Sendable {
    /// The key's number (`drill:<seq>`).
    public var seq: Int
    /// When the OK arrived.
    public var time: Int64
    /// The node that acknowledged it.
    public var node: NodeAddress

    /// Creates an ack.
    public init(seq: Int, time: Int64, node: NodeAddress) {
        self.seq = seq
        self.time = time
        self.node = node
    }
}

/// A writer's moment of (re)connecting to a node it then wrote to.
public struct WriterSwitch: Equatable, Sendable {
    /// When it connected.
    public var time: Int64
    /// To which node.
    public var node: NodeAddress

    /// Creates a switch.
    public init(time: Int64, node: NodeAddress) {
        self.time = time
        self.node = node
    }
}

/// What one writer did.
public struct WriterLog: Equatable, Sendable {
    /// "writer" or "split-brain writer".
    public var name: String
    /// Keys are `<keyPrefix><seq>`.
    public var keyPrefix: String
    /// Every acknowledged write, in order.
    public var acks: [Ack] = []
    /// Failed attempts by reason ("timed out", "READONLY", "connect failed" …).
    public var failures: [String: Int] = [:]
    /// The nodes it wrote to, in order.
    public var switches: [WriterSwitch] = []
    /// When it stopped.
    public var stoppedAt: Int64 = 0

    /// Creates an empty log.
    public init(name: String, keyPrefix: String) {
        self.name = name
        self.keyPrefix = keyPrefix
    }

    /// Failed attempts in all.
    public var failureCount: Int { failures.values.reduce(0, +) }
}

/// One injected fault and when the cluster had converged again after it.
public struct Fault: Equatable, Sendable {
    /// Short label for the SVG ("SIGKILL master").
    public var label: String
    /// When it was injected.
    public var time: Int64
    /// When convergence was first seen after it (nil: never).
    public var settled: Int64?

    /// Creates a fault.
    public init(label: String, time: Int64, settled: Int64? = nil) {
        self.label = label
        self.time = time
        self.settled = settled
    }
}

/// A data node as seen at one moment.
public struct NodeObservation: Equatable, Sendable {
    /// Its address.
    public var address: NodeAddress
    /// Whether its process is running (not killed).
    public var alive: Bool
    /// Its INFO replication role (nil when it did not answer).
    public var role: ReplicationRole?
    /// Why it did not answer.
    public var error: String?

    /// Creates an observation.
    public init(address: NodeAddress, alive: Bool, role: ReplicationRole?, error: String? = nil) {
        self.address = address
        self.alive = alive
        self.role = role
        self.error = error
    }
}

/// A sentinel as seen at one moment.
public struct SentinelObservation: Equatable, Sendable {
    /// Its address.
    public var address: NodeAddress
    /// Whether its process is running.
    public var alive: Bool
    /// Its answer to GET-MASTER-ADDR-BY-NAME (nil: no answer).
    public var master: NodeAddress?

    /// Creates an observation.
    public init(address: NodeAddress, alive: Bool, master: NodeAddress?) {
        self.address = address
        self.alive = alive
        self.master = master
    }
}

/// Acknowledged writes looked up on the final master.
public struct LostWrites: Equatable, Sendable {
    /// How many acknowledged keys were looked up.
    public var checked: Int
    /// The seqs whose key is missing or has another value.
    public var lost: [Int]
    /// Why the lookup could not be done (no master, no answer).
    public var error: String?

    /// Creates a result.
    public init(checked: Int, lost: [Int], error: String? = nil) {
        self.checked = checked
        self.lost = lost
        self.error = error
    }
}

/// How the killed replica resynchronised (kill-replica).
public struct ResyncObservation: Equatable, Sendable {
    /// Master's `sync_full` increase.
    public var fullSyncs: Int
    /// Master's `sync_partial_ok` increase.
    public var partialSyncs: Int
    /// The replica's log lines about the sync after its restart.
    public var logLines: [String]

    /// Creates an observation.
    public init(fullSyncs: Int, partialSyncs: Int, logLines: [String]) {
        self.fullSyncs = fullSyncs
        self.partialSyncs = partialSyncs
        self.logLines = logLines
    }
}

/// A window in which the sentinels must NOT fail over, and the cluster at its end.
public struct NoFailoverWindow: Equatable, Sendable {
    /// Start (the master's kill).
    public var start: Int64
    /// End (the sentinels' restart).
    public var end: Int64
    /// The dead master the sentinels must keep.
    public var master: NodeAddress
    /// The cluster just before `end`.
    public var snapshot: ClusterSnapshot

    /// Creates a window.
    public init(start: Int64, end: Int64, master: NodeAddress, snapshot: ClusterSnapshot) {
        self.start = start
        self.end = end
        self.master = master
        self.snapshot = snapshot
    }
}

/// Everything one drill run recorded.
public struct Observations: Equatable, Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// Vigil or Redis.
    public var backend: Backend
    /// Whether the cluster was scripts/cluster's.
    public var attached: Bool
    /// The cluster.
    public var layout: ClusterLayout
    /// The master when the drill started.
    public var originalMaster: NodeAddress
    /// What happened to the original master, in words ("killed (SIGKILL), restarted with its config").
    public var originalMasterHistory: String = ""
    /// The drill's steps.
    public var actions: [DrillAction] = []
    /// The injected faults (the first is time zero of the report).
    public var faults: [Fault] = []
    /// Sentinel events, by arrival.
    public var events: [SentinelEventRecord] = []
    /// The writer that finds the master through the sentinels.
    public var writer: WriterLog
    /// pause-master's writer connected straight to the old master.
    public var splitBrainWriter: WriterLog?
    /// The writer's acknowledged writes looked up on the final master.
    public var lost = LostWrites(checked: 0, lost: [])
    /// The split-brain writer's acknowledged writes looked up on the final master.
    public var splitBrainLost: LostWrites?
    /// The cluster at the end.
    public var final = ClusterSnapshot(time: 0, nodes: [], sentinels: [])
    /// lose-sentinels: the window with too few sentinels.
    public var noFailoverWindow: NoFailoverWindow?
    /// kill-replica: how the replica resynchronised.
    public var resync: ResyncObservation?
    /// Things that went wrong while driving the drill (timeouts waiting for a state).
    public var notes: [String] = []

    /// Creates the observations of a run that is about to start.
    public init(scenario: Scenario, backend: Backend, attached: Bool, layout: ClusterLayout, originalMaster: NodeAddress) {
        self.scenario = scenario
        self.backend = backend
        self.attached = attached
        self.layout = layout
        self.originalMaster = originalMaster
        self.writer = WriterLog(name: "writer", keyPrefix: "drill:")
    }
}
