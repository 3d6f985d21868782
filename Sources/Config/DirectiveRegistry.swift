// DirectiveRegistry: THE table of configuration directives — one row each,
// Redis 7.0 names, aliases, defaults, bounds and mutability. Everything else
// (loading, CONFIG GET/SET/REWRITE, typed accessors) is driven by it.
//
// Directives marked `.noEffect` are accepted (so a stock redis.conf, or one
// rewritten by Redis, loads) and visible to CONFIG GET/SET, but Vigil does not
// act on them. Directives with `refusing` reject values Vigil cannot honour.
//
// Invariant: every name and alias is lowercase and unique across the table
// (checked when `indexByName` is built).

private let intMax = Int(Int32.max)
private let intMin = Int(Int32.min)
private let uintMax = Int(UInt32.max)
private let longMax = Int.max

/// The directive table and name lookup.
enum DirectiveRegistry {
    static let all: [DirectiveSpec] = [
        // Network
        .int("port", [], 0, 65535, 6379, .mutable).inSentinel(.integer(26379)),
        .special("bind", [], .bind, .words(["*", "-::*"]), .mutable),
        .bool("protected-mode", [], true, .mutable).inSentinel(.bool(false)),
        .int("tcp-backlog", [], 0, intMax, 511, []),
        .string("unixsocket", [], "", nullable: true, []).refusing { v in
            if case .string(let s) = v, !s.isEmpty {
                return "unixsocket is not supported yet: Vigil listens on TCP only"
            }
            return nil
        },
        .int("timeout", [], 0, intMax, 0, .mutable),
        .int("tcp-keepalive", [], 0, intMax, 300, .mutable),
        .string("bind-source-addr", [], "", nullable: true, [.mutable, .noEffect]),

        // General
        .bool("daemonize", [], false, []),
        .enumeration("supervised", ["upstart", "systemd", "auto", "no"], "no", []),
        .string("pidfile", [], "", nullable: true, []),
        .enumeration("loglevel", ["debug", "verbose", "notice", "warning", "nothing"], "notice", .mutable),
        .string("logfile", [], "", nullable: false, []),
        .bool("syslog-enabled", [], false, []),
        .string("syslog-ident", [], "redis", nullable: false, .noEffect),
        .enumeration("syslog-facility", ["user", "local0", "local1", "local2", "local3", "local4", "local5",
                                         "local6", "local7"], "local0", .noEffect),
        .int("databases", [], 1, intMax, 16, []),
        .bool("always-show-logo", [], false, []),
        .bool("set-proc-title", [], true, []),
        .string("proc-title-template", [], "{title} {listen-addr} {server-mode}", nullable: false,
                [.mutable, .noEffect]),
        .enumeration("enable-debug-command", ["no", "yes", "local"], "no", []),
        .enumeration("enable-protected-configs", ["no", "yes", "local"], "no", []),
        .enumeration("enable-module-command", ["no", "yes", "local"], "no", .noEffect),
        .bool("crash-log-enabled", [], true, [.mutable, .noEffect]),
        .bool("crash-memcheck-enabled", [], true, [.mutable, .noEffect]),
        .bool("disable-thp", [], true, .noEffect),
        .int("shutdown-timeout", [], 0, intMax, 10, .mutable),
        .string("ignore-warnings", [], "", nullable: false, [.mutable, .noEffect]),
        .bool("cluster-enabled", [], false, []).refusing { v in
            v == .bool(true) ? "cluster-enabled yes is not supported: Vigil does not implement Redis Cluster" : nil
        },

        // Snapshotting
        .special("save", [], .save, .saveRules([SaveRule(seconds: 3600, changes: 1),
                                                 SaveRule(seconds: 300, changes: 100),
                                                 SaveRule(seconds: 60, changes: 10000)]), .mutable),
        .bool("stop-writes-on-bgsave-error", [], true, .mutable),
        .bool("rdbcompression", [], true, .mutable),
        .bool("rdbchecksum", [], true, []),
        .string("dbfilename", [], "dump.rdb", nullable: false, [.mutable, .protected]).validating { v in
            if case .string(let s) = v, s.contains("/") { return "dbfilename can't be a path, just a filename" }
            return nil
        },
        .bool("rdb-del-sync-files", [], false, .mutable),
        .special("dir", [], .directory, .string("/"), [.mutable, .protected]),
        .bool("rdb-save-incremental-fsync", [], true, [.mutable, .noEffect]),

        // Replication
        .special("replicaof", ["slaveof"], .replicaOf, .replicaOf(nil), []),
        .string("masterauth", [], "", nullable: true, [.mutable, .sensitive]),
        .string("masteruser", [], "", nullable: true, [.mutable, .sensitive]),
        .bool("replica-serve-stale-data", ["slave-serve-stale-data"], true, .mutable),
        .bool("replica-read-only", ["slave-read-only"], true, .mutable),
        .bool("repl-diskless-sync", [], true, .mutable),
        .int("repl-diskless-sync-delay", [], 0, intMax, 5, .mutable),
        .int("repl-diskless-sync-max-replicas", [], 0, intMax, 0, .mutable),
        .enumeration("repl-diskless-load", ["disabled", "on-empty-db", "swapdb"], "disabled", .mutable),
        .int("repl-ping-replica-period", ["repl-ping-slave-period"], 1, intMax, 10, .mutable),
        .int("repl-timeout", [], 1, intMax, 60, .mutable),
        .bool("repl-disable-tcp-nodelay", [], false, .mutable),
        .memory("repl-backlog-size", [], 1, longMax, 1 << 20, .mutable),
        .int("repl-backlog-ttl", [], 0, longMax, 3600, .mutable),
        .int("replica-priority", ["slave-priority"], 0, intMax, 100, .mutable),
        .bool("replica-announced", [], true, .mutable),
        .int("min-replicas-to-write", ["min-slaves-to-write"], 0, intMax, 0, .mutable),
        .int("min-replicas-max-lag", ["min-slaves-max-lag"], 0, intMax, 10, .mutable),
        .string("replica-announce-ip", ["slave-announce-ip"], "", nullable: true, .mutable),
        .int("replica-announce-port", ["slave-announce-port"], 0, 65535, 0, .mutable),
        .bool("replica-lazy-flush", ["slave-lazy-flush"], false, [.mutable, .noEffect]),
        .bool("replica-ignore-maxmemory", ["slave-ignore-maxmemory"], true, .mutable),

        // Security
        .string("requirepass", [], "", nullable: true, [.mutable, .sensitive]),
        .string("aclfile", [], "", nullable: false, .noEffect),
        .int("acllog-max-len", [], 0, longMax, 128, [.mutable, .noEffect]),
        .enumeration("acl-pubsub-default", ["allchannels", "resetchannels"], "resetchannels", [.mutable, .noEffect]),

        // Clients and memory
        .int("maxclients", [], 1, uintMax, 10000, .mutable),
        .memory("maxmemory", [], 0, longMax, 0, .mutable),
        .enumeration("maxmemory-policy", ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                                          "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"],
                     "noeviction", .mutable),
        .int("maxmemory-samples", [], 1, intMax, 5, .mutable),
        .int("maxmemory-eviction-tenacity", [], 0, 100, 10, .mutable),
        .special("client-output-buffer-limit", [], .clientOutputBufferLimit,
                 .outputBufferLimits(.redisDefaults), .mutable),
        .memory("client-query-buffer-limit", [], 1 << 20, longMax, 1 << 30, .mutable),
        .memory("proto-max-bulk-len", [], 1 << 20, longMax, 512 << 20, .mutable),

        // Lazy freeing
        .bool("lazyfree-lazy-eviction", [], false, [.mutable, .noEffect]),
        .bool("lazyfree-lazy-expire", [], false, [.mutable, .noEffect]),
        .bool("lazyfree-lazy-server-del", [], false, [.mutable, .noEffect]),
        .bool("lazyfree-lazy-user-del", [], false, [.mutable, .noEffect]),
        .bool("lazyfree-lazy-user-flush", [], false, [.mutable, .noEffect]),

        // Threads and OS
        .int("io-threads", [], 1, 128, 1, .noEffect),
        .bool("io-threads-do-reads", [], false, .noEffect),
        .enumeration("oom-score-adj", ["no", "yes", "relative", "absolute"], "no", [.mutable, .noEffect]),
        .special("oom-score-adj-values", [],
                 .integerList(count: 3, min: -2000, max: 2000,
                              error: "Invalid oom-score-adj-values, elements must be between -2000 and 2000."),
                 .integers([0, 200, 800]), [.mutable, .noEffect]),
        .bool("jemalloc-bg-thread", [], true, [.mutable, .noEffect]),

        // Append only file: only "off" is supported
        .bool("appendonly", [], false, .mutable).refusing { v in
            v == .bool(true) ? "appendonly yes is not supported yet: Vigil persists with RDB snapshots only" : nil
        },
        .string("appendfilename", [], "appendonly.aof", nullable: false, .noEffect).validating { v in
            guard case .string(let s) = v else { return nil }
            if s.isEmpty { return "appendfilename can't be empty" }
            if s.contains("/") { return "appendfilename can't be a path, just a filename" }
            return nil
        },
        .string("appenddirname", [], "appendonlydir", nullable: false, .noEffect).validating { v in
            guard case .string(let s) = v else { return nil }
            if s.isEmpty { return "appenddirname can't be empty" }
            if s.contains("/") { return "appenddirname can't be a path, just a dirname" }
            return nil
        },
        .enumeration("appendfsync", ["everysec", "always", "no"], "everysec", [.mutable, .noEffect]),
        .bool("no-appendfsync-on-rewrite", [], false, [.mutable, .noEffect]),
        .int("auto-aof-rewrite-percentage", [], 0, intMax, 100, [.mutable, .noEffect]),
        .memory("auto-aof-rewrite-min-size", [], 0, longMax, 64 << 20, [.mutable, .noEffect]),
        .bool("aof-load-truncated", [], true, [.mutable, .noEffect]),
        .bool("aof-use-rdb-preamble", [], true, [.mutable, .noEffect]),
        .bool("aof-timestamp-enabled", [], false, [.mutable, .noEffect]),
        .bool("aof-rewrite-incremental-fsync", [], true, [.mutable, .noEffect]),

        // Scripting, slow log, latency
        .int("busy-reply-threshold", ["lua-time-limit"], 0, longMax, 5000, [.mutable, .noEffect]),
        .int("slowlog-log-slower-than", [], -1, longMax, 10000, .mutable),
        .int("slowlog-max-len", [], 0, longMax, 128, .mutable),
        .int("latency-monitor-threshold", [], 0, longMax, 0, .mutable),
        .bool("latency-tracking", [], true, .mutable),
        .special("latency-tracking-info-percentiles", [], .percentiles, .percentiles([50, 99, 99.9]), .mutable),

        // Event notification
        .special("notify-keyspace-events", [], .keyspaceEvents, .string(""), .mutable),

        // Encodings
        .int("hash-max-listpack-entries", ["hash-max-ziplist-entries"], 0, longMax, 512, .mutable),
        .memory("hash-max-listpack-value", ["hash-max-ziplist-value"], 0, longMax, 64, .mutable),
        .int("list-max-listpack-size", ["list-max-ziplist-size"], intMin, intMax, -2, .mutable),
        .int("list-compress-depth", [], 0, intMax, 0, [.mutable, .noEffect]),
        .int("set-max-intset-entries", [], 0, longMax, 512, .mutable),
        .int("zset-max-listpack-entries", ["zset-max-ziplist-entries"], 0, longMax, 128, .mutable),
        .memory("zset-max-listpack-value", ["zset-max-ziplist-value"], 0, longMax, 64, .mutable),
        .memory("hll-sparse-max-bytes", [], 0, longMax, 3000, [.mutable, .noEffect]),
        .memory("stream-node-max-bytes", [], 0, longMax, 4096, [.mutable, .noEffect]),
        .int("stream-node-max-entries", [], 0, longMax, 100, [.mutable, .noEffect]),

        // Background work
        .bool("activerehashing", [], true, .mutable),
        .int("hz", [], 0, intMax, 10, .mutable).normalizing { v in
            // Like Redis's updateHZ: out-of-range values are accepted but clamped.
            if case .integer(let n) = v { return .integer(Swift.min(Swift.max(n, 1), 500)) }
            return v
        },
        .bool("dynamic-hz", [], true, .mutable),
        .int("active-expire-effort", [], 1, 10, 1, [.mutable, .noEffect]),
        .bool("activedefrag", [], false, [.mutable, .noEffect]),
        .memory("active-defrag-ignore-bytes", [], 1, longMax, 100 << 20, [.mutable, .noEffect]),
        .int("active-defrag-threshold-lower", [], 0, 1000, 10, [.mutable, .noEffect]),
        .int("active-defrag-threshold-upper", [], 0, 1000, 100, [.mutable, .noEffect]),
        .int("active-defrag-cycle-min", [], 1, 99, 1, [.mutable, .noEffect]),
        .int("active-defrag-cycle-max", [], 1, 99, 25, [.mutable, .noEffect]),
        .int("active-defrag-max-scan-fields", [], 1, longMax, 1000, [.mutable, .noEffect]),
        .int("lfu-log-factor", [], 0, intMax, 10, [.mutable, .noEffect]),
        .int("lfu-decay-time", [], 0, intMax, 1, [.mutable, .noEffect]),
        .int("tracking-table-max-keys", [], 0, longMax, 1_000_000, [.mutable, .noEffect]),
    ]

    /// Name or alias → row index.
    static let indexByName: [String: Int] = {
        var map: [String: Int] = [:]
        for (i, spec) in all.enumerated() {
            for name in [spec.name] + spec.aliases {
                precondition(map[name] == nil, "duplicate config directive name \(name)")
                map[name] = i
            }
        }
        return map
    }()

    /// Every name CONFIG GET patterns are matched against, in table order
    /// (canonical name first, then its aliases).
    static let allNames: [(name: String, index: Int)] = {
        var out: [(name: String, index: Int)] = []
        for (i, spec) in all.enumerated() {
            out.append((spec.name, i))
            for alias in spec.aliases { out.append((alias, i)) }
        }
        return out
    }()

    /// Looks a directive up by name or alias, case-insensitively.
    static func index(of name: String) -> Int? {
        indexByName[ConfigNumbers.asciiLowercased(name)]
    }

    /// Obsolete directives Redis 7.0 still accepts and ignores (name, argc).
    static let ignoredObsolete: Set<String> = ["list-max-ziplist-entries", "list-max-ziplist-value",
                                               "lua-replicate-commands"]
}
