// Typed accessors for the directives the Node and Sentinel read most.
// Each is a thin view over the directive table; names are Redis's. Nullable
// strings come back as nil when unset.

extension ConfigStore {
    private func stringValue(_ name: String) -> String {
        guard case .string(let s) = values[ConfigStore.index(name)] else {
            preconditionFailure("config directive \(name) is not a string")
        }
        return s
    }

    private func optionalString(_ name: String) -> String? {
        let s = stringValue(name)
        return s.isEmpty ? nil : s
    }

    // MARK: Network

    /// `port` (0 disables the TCP listener, as in Redis).
    public var port: Int { int("port") }
    /// `bind` addresses ("-" prefix: optional address); empty = all interfaces.
    public var bind: [String] {
        guard case .words(let w) = values[ConfigStore.index("bind")] else { preconditionFailure("bind") }
        return w
    }
    /// `protected-mode`.
    public var protectedMode: Bool { bool("protected-mode") }
    /// `tcp-backlog`.
    public var tcpBacklog: Int { int("tcp-backlog") }
    /// `timeout` in seconds (0 = never close idle clients).
    public var timeout: Int { int("timeout") }
    /// `tcp-keepalive` in seconds.
    public var tcpKeepalive: Int { int("tcp-keepalive") }

    // MARK: General

    /// `daemonize`.
    public var daemonize: Bool { bool("daemonize") }
    /// `pidfile`, nil when unset.
    public var pidFile: String? { optionalString("pidfile") }
    /// `logfile`; "" logs to standard output.
    public var logFile: String { stringValue("logfile") }
    /// `loglevel`: debug, verbose, notice, warning or nothing.
    public var logLevel: String { stringValue("loglevel") }
    /// `databases`.
    public var databases: Int { int("databases") }
    /// `hz` (already clamped to 1…500).
    public var hz: Int { int("hz") }
    /// `dynamic-hz`.
    public var dynamicHz: Bool { bool("dynamic-hz") }
    /// `enable-debug-command`: "no", "yes" or "local".
    public var enableDebugCommand: String { stringValue("enable-debug-command") }

    // MARK: Persistence

    /// `save` rules; empty when snapshotting is disabled.
    public var saveRules: [SaveRule] {
        guard case .saveRules(let r) = values[ConfigStore.index("save")] else { preconditionFailure("save") }
        return r
    }
    /// `dir`, absolute.
    public var dir: String { stringValue("dir") }
    /// `dbfilename`.
    public var dbFilename: String { stringValue("dbfilename") }
    /// `stop-writes-on-bgsave-error`.
    public var stopWritesOnBgsaveError: Bool { bool("stop-writes-on-bgsave-error") }
    /// `rdbcompression`.
    public var rdbCompression: Bool { bool("rdbcompression") }
    /// `rdbchecksum`.
    public var rdbChecksum: Bool { bool("rdbchecksum") }

    // MARK: Replication

    /// `replicaof`, nil on a master.
    public var replicaOf: ReplicaOf? {
        guard case .replicaOf(let r) = values[ConfigStore.index("replicaof")] else { preconditionFailure("replicaof") }
        return r
    }
    /// `masterauth`, nil when unset.
    public var masterAuth: String? { optionalString("masterauth") }
    /// `masteruser`, nil when unset.
    public var masterUser: String? { optionalString("masteruser") }
    /// `replica-read-only`.
    public var replicaReadOnly: Bool { bool("replica-read-only") }
    /// `replica-serve-stale-data`.
    public var replicaServeStaleData: Bool { bool("replica-serve-stale-data") }
    /// `replica-priority` (0 = never promote).
    public var replicaPriority: Int { int("replica-priority") }
    /// `replica-announced`.
    public var replicaAnnounced: Bool { bool("replica-announced") }
    /// `replica-announce-ip`, nil when unset.
    public var replicaAnnounceIP: String? { optionalString("replica-announce-ip") }
    /// `replica-announce-port` (0 = use `port`).
    public var replicaAnnouncePort: Int { int("replica-announce-port") }
    /// `repl-backlog-size` in bytes.
    public var replBacklogSize: Int { int("repl-backlog-size") }
    /// `repl-backlog-ttl` in seconds.
    public var replBacklogTTL: Int { int("repl-backlog-ttl") }
    /// `repl-timeout` in seconds.
    public var replTimeout: Int { int("repl-timeout") }
    /// `repl-ping-replica-period` in seconds.
    public var replPingReplicaPeriod: Int { int("repl-ping-replica-period") }
    /// `repl-diskless-sync`.
    public var replDisklessSync: Bool { bool("repl-diskless-sync") }
    /// `repl-diskless-sync-delay` in seconds.
    public var replDisklessSyncDelay: Int { int("repl-diskless-sync-delay") }
    /// `repl-diskless-load`: disabled, on-empty-db or swapdb.
    public var replDisklessLoad: String { stringValue("repl-diskless-load") }
    /// `repl-disable-tcp-nodelay`.
    public var replDisableTcpNoDelay: Bool { bool("repl-disable-tcp-nodelay") }
    /// `min-replicas-to-write` (0 disables the check).
    public var minReplicasToWrite: Int { int("min-replicas-to-write") }
    /// `min-replicas-max-lag` in seconds.
    public var minReplicasMaxLag: Int { int("min-replicas-max-lag") }

    // MARK: Security and limits

    /// `requirepass`, nil when unset.
    public var requirePass: String? { optionalString("requirepass") }
    /// `maxclients`.
    public var maxClients: Int { int("maxclients") }
    /// `maxmemory` in bytes (0 = no limit).
    public var maxMemory: Int { int("maxmemory") }
    /// `maxmemory-policy`.
    public var maxMemoryPolicy: String { stringValue("maxmemory-policy") }
    /// `client-output-buffer-limit`, per class.
    public var clientOutputBufferLimits: ClientOutputBufferLimits {
        guard case .outputBufferLimits(let l) = values[ConfigStore.index("client-output-buffer-limit")] else {
            preconditionFailure("client-output-buffer-limit")
        }
        return l
    }
    /// `client-query-buffer-limit` in bytes.
    public var clientQueryBufferLimit: Int { int("client-query-buffer-limit") }
    /// `proto-max-bulk-len` in bytes.
    public var protoMaxBulkLen: Int { int("proto-max-bulk-len") }
    /// `notify-keyspace-events`.
    public var notifyKeyspaceEvents: KeyspaceEventFlags {
        KeyspaceEventFlags(letters: stringValue("notify-keyspace-events")) ?? []
    }
}
