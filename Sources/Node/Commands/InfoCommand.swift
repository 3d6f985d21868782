// INFO: the server's state as "field:value" lines grouped in "# Section"
// blocks, with Redis 7.0's section and field names (tools parse them).
// Sections: server, clients, memory, persistence, stats, replication, cpu,
// modules, errorstats, commandstats, keyspace; "default", "all", "everything".

import Glibc
import RESP
import Keyspace
import EventLoop

/// Version strings the node (and the sentinel) report.
public enum ServerInfo {
    /// The Redis version whose behaviour Vigil implements; clients gate features on it.
    public static let redisVersion = "7.0.15"
    /// Vigil's own version.
    public static let vigilVersion = "0.1.0"
}

func infoCommand() -> CommandSpec {
    CommandSpec("info", arity: -1, flags: [.loading, .stale], categories: ["@slow", "@dangerous"], handler: info)
}

private let defaultSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"]
private let allSections = defaultSections + ["commandstats", "latencystats"]
/// A sentinel's generic sections, in Redis's fixed order (its own "sentinel" section is added by the Sentinel module).
private let sentinelSections = ["server", "clients", "stats", "cpu"]

private func info(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.verbatim(ctx.server.infoSections(ctx.args.dropFirst().map { String(decoding: $0, as: UTF8.self) }))
}

extension Server {
    /// The INFO text for the requested section names (any case; "default",
    /// "all", "everything"; none = default), sections separated by a blank
    /// line. A data node renders them in request order, each once. A sentinel
    /// renders only its generic sections (server, clients, stats, cpu) in
    /// Redis's fixed order, ignoring other names, so the Sentinel module can
    /// append its own "# Sentinel" section.
    public func infoSections(_ names: [String]) -> String {
        var wanted: [String] = []
        for name in names {
            switch name.lowercased() {
            case "default": wanted += mode == .node ? defaultSections : sentinelSections
            case "all", "everything": wanted += mode == .node ? allSections : sentinelSections
            case let s: wanted.append(s)
            }
        }
        if names.isEmpty { wanted = mode == .node ? defaultSections : sentinelSections }
        if mode == .sentinel { wanted = sentinelSections.filter(wanted.contains) }
        var text = ""
        var seen = Set<String>()
        for section in wanted where seen.insert(section).inserted {
            guard let body = infoSection(section) else { continue }
            if !text.isEmpty { text += "\r\n" }
            text += body
        }
        return text
    }

    /// One INFO section ("# Name\r\nfield:value\r\n..."), nil for an unknown name.
    func infoSection(_ name: String) -> String? {
        var lines: [String]
        switch name {
        case "server": lines = serverInfo()
        case "clients": lines = clientsInfo()
        case "memory": lines = memoryInfo()
        case "persistence": lines = persistenceInfo()
        case "stats": lines = statsInfo()
        case "replication": lines = replicationInfo()
        case "cpu": lines = cpuInfo()
        case "modules", "latencystats": lines = []
        case "errorstats":
            lines = stats.errorsByPrefix.sorted { $0.key < $1.key }.map { "errorstat_\($0.key):count=\($0.value)" }
        case "cluster": lines = ["cluster_enabled:0"]
        case "commandstats":
            lines = commands.specs.filter { $0.counters.calls > 0 }.sorted { $0.name < $1.name }.map {
                let c = $0.counters
                let perCall = Double(c.microseconds) / Double(c.calls)
                return "cmdstat_\($0.name):calls=\(c.calls),usec=\(c.microseconds),usec_per_call=\(formatRatio(perCall)),rejected_calls=0,failed_calls=\(c.failedCalls)"
            }
        case "keyspace": lines = keyspaceInfo()
        default: return nil
        }
        let title = name == "cpu" ? "CPU" : name.prefix(1).uppercased() + name.dropFirst()
        return (["# \(title)"] + lines).joined(separator: "\r\n") + "\r\n"
    }

    private func serverInfo() -> [String] {
        var uts = utsname()
        uname(&uts)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let uptime = (loop.monotonicMilliseconds - startedAtMonotonic) / 1000
        return [
            "redis_version:\(ServerInfo.redisVersion)",
            "vigil_version:\(ServerInfo.vigilVersion)",
            "redis_git_sha1:00000000",
            "redis_git_dirty:0",
            "redis_build_id:0",
            "redis_mode:\(mode == .sentinel ? "sentinel" : "standalone")",
            "os:\(field(uts.sysname)) \(field(uts.release)) \(field(uts.machine))",
            "arch_bits:64",
            "monotonic_clock:POSIX clock_gettime",
            "multiplexing_api:epoll",
            "atomicvar_api:c11-builtin",
            "gcc_version:0.0.0",
            "process_id:\(getpid())",
            "process_supervised:no",
            "run_id:\(runID)",
            "tcp_port:\(boundPort)",
            "server_time_usec:\(EventLoop.wallClockMicroseconds())",
            "uptime_in_seconds:\(uptime)",
            "uptime_in_days:\(uptime / 86400)",
            "hz:\(config.int("hz"))",
            "configured_hz:\(config.int("hz"))",
            "lru_clock:\((now / 1000) & ((1 << 24) - 1))",
            "executable:\(ProcessInfoLite.executablePath())",
            "config_file:\(config.configFilePath ?? "")",
            "io_threads_active:0",
        ]
    }

    private func clientsInfo() -> [String] {
        var pubsubClients = 0, watching = 0, maxInput = 0, maxOutput = 0
        for (_, c) in clients {
            if c.subscriptionCount > 0 { pubsubClients += 1 }
            if !c.watchedKeys.isEmpty { watching += 1 }
            maxInput = max(maxInput, c.readBuffer.readableCount)
            maxOutput = max(maxOutput, c.pendingOutput)
        }
        return [
            "connected_clients:\(clients.count)",
            "cluster_connections:0",
            "maxclients:\(config.int("maxclients"))",
            "client_recent_max_input_buffer:\(maxInput)",
            "client_recent_max_output_buffer:\(maxOutput)",
            "blocked_clients:\(stats.blockedClients)",
            "tracking_clients:0",
            "clients_in_timeout_table:\(stats.blockedClients)",
            "pubsub_clients:\(pubsubClients)",
            "watching_clients:\(watching)",
            "total_blocking_keys:\(blocking.keyCount)",
        ]
    }

    private func memoryInfo() -> [String] {
        let used = MemoryUsage.heapBytes()
        let rss = MemoryUsage.residentBytes()
        let ratio = used > 0 ? Double(rss) / Double(used) : 0
        return [
            "used_memory:\(used)",
            "used_memory_human:\(humanBytes(used))",
            "used_memory_rss:\(rss)",
            "used_memory_rss_human:\(humanBytes(rss))",
            "used_memory_peak:\(used)",
            "maxmemory:\(config.int("maxmemory"))",
            "maxmemory_human:\(humanBytes(config.int("maxmemory")))",
            "maxmemory_policy:\(config.string("maxmemory-policy"))",
            "mem_fragmentation_ratio:\(formatRatio(ratio))",
            "mem_allocator:libc",
            "lazyfree_pending_objects:0",
        ]
    }

    private func persistenceInfo() -> [String] { persistenceInfoLines() }   // Persistence.swift

    private func statsInfo() -> [String] {
        let uptime = max(1, (loop.monotonicMilliseconds - startedAtMonotonic) / 1000)
        return [
            "total_connections_received:\(stats.totalConnections)",
            "total_commands_processed:\(stats.commandsProcessed)",
            "instantaneous_ops_per_sec:\(stats.commandsProcessed / Int(uptime))",
            "total_net_input_bytes:\(stats.netInputBytes)",
            "total_net_output_bytes:\(stats.netOutputBytes)",
            "rejected_connections:\(stats.rejectedConnections)",
            "sync_full:\(stats.syncFull)",
            "sync_partial_ok:\(stats.syncPartialOK)",
            "sync_partial_err:\(stats.syncPartialErr)",
            "expired_keys:\(stats.expiredKeys)",
            "evicted_keys:0",
            "keyspace_hits:\(stats.keyspaceHits)",
            "keyspace_misses:\(stats.keyspaceMisses)",
            "pubsub_channels:\(pubsub.channelCount)",
            "pubsub_patterns:\(pubsub.patternCount)",
            "latest_fork_usec:0",
            "total_forks:0",
            "total_error_replies:\(stats.errorReplies)",
            "total_reads_processed:0",
            "total_writes_processed:0",
        ]
    }

    private func replicationInfo() -> [String] {
        replicationInfoLines()
    }

    private func cpuInfo() -> [String] {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> String {
            let micros = Int(t.tv_sec) * 1_000_000 + Int(t.tv_usec)
            let fraction = micros % 1_000_000
            return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - String(fraction).count))\(fraction)"
        }
        return [
            "used_cpu_sys:\(seconds(usage.ru_stime))",
            "used_cpu_user:\(seconds(usage.ru_utime))",
            "used_cpu_sys_children:0.000000",
            "used_cpu_user_children:0.000000",
        ]
    }

    private func keyspaceInfo() -> [String] {
        databases.indices.compactMap { i in
            let db = databases[i]
            guard db.count > 0 else { return nil }
            return "db\(i):keys=\(db.count),expires=\(db.volatileCount),avg_ttl=0"
        }
    }
}

/// "1.23M" style sizes as Redis's bytesToHuman.
func humanBytes(_ n: Int) -> String {
    let d = Double(n)
    func two(_ v: Double) -> String {
        let scaled = Int((v * 100).rounded())
        let frac = scaled % 100
        return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
    if n < 1024 { return "\(n)B" }
    if d < 1024 * 1024 { return two(d / 1024) + "K" }
    if d < 1024 * 1024 * 1024 { return two(d / (1024 * 1024)) + "M" }
    return two(d / (1024 * 1024 * 1024)) + "G"
}

private func formatRatio(_ r: Double) -> String {
    let scaled = Int((r * 100).rounded())
    let frac = scaled % 100
    return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
}
