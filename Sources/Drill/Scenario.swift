// Scenario.swift — the failover drills, by name, and which backend runs them.
//
// Invariants: the raw values are the command-line names; `allCases` is the
// order `all` runs them in.

/// One failover drill.
public enum Scenario: String, CaseIterable, Sendable {
    /// SIGKILL the master; restart it later with its original config.
    case killMaster = "kill-master"
    /// SIGSTOP the master through a failover, then SIGCONT it (split brain),
    /// with a second writer connected straight to it.
    case pauseMaster = "pause-master"
    /// SIGKILL a replica under writes, restart it, report the resync kind.
    case killReplica = "kill-replica"
    /// One sentinel dies and the master dies: fail over. Two die: do not.
    case loseSentinels = "lose-sentinels"
    /// `SENTINEL FAILOVER` under write load.
    case switchover

    /// One line for `--help` and the report heading.
    public var summary: String {
        switch self {
        case .killMaster: return "SIGKILL the master, restart it later with its original config"
        case .pauseMaster: return "SIGSTOP the master through a failover, then SIGCONT it (split brain)"
        case .killReplica: return "SIGKILL a replica under writes, restart it, report the resync"
        case .loseSentinels: return "1 of 3 sentinels dead + master dies: fail over; 2 dead: must not"
        case .switchover: return "SENTINEL FAILOVER under write load"
        }
    }
}

/// Which servers run the drill's cluster.
public enum Backend: String, Sendable {
    /// Vigil's `vigil-server` and `sentinel`.
    case vigil
    /// `redis-server` and `redis-sentinel` from PATH.
    case redis

    /// "Vigil" / "Redis".
    public var displayName: String { self == .vigil ? "Vigil" : "Redis" }
}
