// ClusterLayout.swift — the files and ports of one drill cluster, laid out as
// scripts/cluster (and the classic tutorial) does: a shared node config that
// every per-port node file includes, and one sentinel file per sentinel.
//
//   DIR/node-common.conf         bind, daemonize, no snapshots, diskless-sync delay 0
//   DIR/node-PORT.conf           include, port, dir, dbfilename, pidfile, logfile [, replicaof]
//   DIR/sentinel-PORT.conf       port, daemonize, logfile, pidfile, dir, sentinel monitor …
//
// Invariants: pure; `directory` is absolute (the servers daemonize and chdir);
// node 0 is the initial master; quorum is a majority of the sentinels; the
// configuration text is valid for both Vigil and Redis 7.0.

/// Ports, paths and configuration of one cluster.
public struct ClusterLayout: Equatable, Sendable {
    /// Absolute directory holding configs, logs, pidfiles.
    public var directory: String
    /// Data nodes; the first is the initial master.
    public var nodePorts: [Int]
    /// Sentinels.
    public var sentinelPorts: [Int]
    /// `sentinel down-after-milliseconds`.
    public var downAfterMilliseconds: Int
    /// `sentinel failover-timeout`.
    public var failoverTimeoutMilliseconds: Int
    /// The name the sentinels monitor.
    public var masterName = "mymaster"
    /// The host every process binds and announces.
    public var host = "127.0.0.1"

    /// Creates a layout.
    public init(directory: String, nodePorts: [Int], sentinelPorts: [Int], downAfterMilliseconds: Int, failoverTimeoutMilliseconds: Int) {
        self.directory = directory
        self.nodePorts = nodePorts
        self.sentinelPorts = sentinelPorts
        self.downAfterMilliseconds = downAfterMilliseconds
        self.failoverTimeoutMilliseconds = failoverTimeoutMilliseconds
    }

    /// Votes needed to agree the master is down: a majority of the sentinels.
    public var quorum: Int { sentinelPorts.count / 2 + 1 }

    /// Every data node's address.
    public var nodes: [NodeAddress] { nodePorts.map { NodeAddress(host: host, port: $0) } }
    /// Every sentinel's address.
    public var sentinels: [NodeAddress] { sentinelPorts.map { NodeAddress(host: host, port: $0) } }

    /// What a process of the cluster is.
    public enum Member: Hashable, Sendable, CustomStringConvertible {
        /// A data node on this port.
        case node(Int)
        /// A sentinel on this port.
        case sentinel(Int)

        /// "node-6379" / "sentinel-26379": the stem of its files.
        public var stem: String {
            switch self {
            case .node(let port): return "node-\(port)"
            case .sentinel(let port): return "sentinel-\(port)"
            }
        }

        /// The port.
        public var port: Int {
            switch self {
            case .node(let port), .sentinel(let port): return port
            }
        }

        public var description: String {
            switch self {
            case .node(let port): return "node \(port)"
            case .sentinel(let port): return "sentinel \(port)"
            }
        }
    }

    /// Every process, nodes first.
    public var members: [Member] { nodePorts.map(Member.node) + sentinelPorts.map(Member.sentinel) }

    /// The config file of `member`.
    public func configPath(_ member: Member) -> String { "\(directory)/\(member.stem).conf" }
    /// The pidfile of `member`.
    public func pidPath(_ member: Member) -> String { "\(directory)/\(member.stem).pid" }
    /// The log file of `member`.
    public func logPath(_ member: Member) -> String { "\(directory)/\(member.stem).log" }
    /// The shared node config.
    public var commonConfigPath: String { "\(directory)/node-common.conf" }

    /// The shared node config's text.
    public var commonConfigText: String {
        """
        # Shared by every node of this drill cluster (each node-PORT.conf includes it).
        bind \(host)
        protected-mode no
        daemonize yes
        save ""
        appendonly no
        repl-diskless-sync-delay 0

        """
    }

    /// The config text of the node on `port` (a replica of node 0 unless it is node 0).
    public func nodeConfigText(port: Int) -> String {
        var lines = [
            "include \(quoted(commonConfigPath))",
            "port \(port)",
            "dir \(quoted(directory))",
            "dbfilename dump-\(port).rdb",
            "pidfile \(quoted(pidPath(.node(port))))",
            "logfile \(quoted(logPath(.node(port))))",
        ]
        if let master = nodePorts.first, master != port { lines.append("replicaof \(host) \(master)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The config text of the sentinel on `port`.
    public func sentinelConfigText(port: Int) -> String {
        let master = nodePorts.first ?? 0
        return [
            "port \(port)",
            "bind \(host)",
            "protected-mode no",
            "daemonize yes",
            "logfile \(quoted(logPath(.sentinel(port))))",
            "pidfile \(quoted(pidPath(.sentinel(port))))",
            "dir \(quoted(directory))",
            "sentinel monitor \(masterName) \(host) \(master) \(quorum)",
            "sentinel down-after-milliseconds \(masterName) \(downAfterMilliseconds)",
            "sentinel failover-timeout \(masterName) \(failoverTimeoutMilliseconds)",
            "sentinel parallel-syncs \(masterName) 1",
        ].joined(separator: "\n") + "\n"
    }

    /// Every file to write for a fresh cluster, path → text.
    public var files: [(path: String, text: String)] {
        [(commonConfigPath, commonConfigText)]
            + nodePorts.map { (configPath(.node($0)), nodeConfigText(port: $0)) }
            + sentinelPorts.map { (configPath(.sentinel($0)), sentinelConfigText(port: $0)) }
    }

    /// scripts/cluster's cluster: its directory and its ports (configs exist already).
    public static func attached(_ cluster: AttachedCluster, absoluteDirectory: String) -> ClusterLayout {
        ClusterLayout(directory: absoluteDirectory,
                      nodePorts: Array(cluster.port...(cluster.port + cluster.replicas)),
                      sentinelPorts: Array(cluster.sentinelPort..<(cluster.sentinelPort + cluster.sentinels)),
                      downAfterMilliseconds: 0, failoverTimeoutMilliseconds: 0)
    }
}

/// `text` in double quotes when it needs them (spaces, quotes, backslashes).
private func quoted(_ text: String) -> String {
    guard text.contains(where: { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "'" }) else { return text }
    var out = "\""
    for character in text {
        if character == "\"" || character == "\\" { out.append("\\") }
        out.append(character)
    }
    return out + "\""
}
