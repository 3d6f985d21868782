// ServerConfig: how the running node reads and applies its configuration —
// output-buffer limits per client kind, and the side effects of CONFIG SET.

import Config

extension ConfigStore {
    /// The output-buffer limit of a client kind (masters are never limited).
    func outputBufferLimit(for kind: ClientKind) -> (hard: Int, soft: Int, softSeconds: Int) {
        let limits = clientOutputBufferLimits
        let limit: ClientOutputBufferLimit
        switch kind {
        case .normal: limit = limits.normal
        case .pubsub: limit = limits.pubsub
        case .replica: limit = limits.replica
        case .master: return (0, 0, 0)
        }
        return (limit.hardBytes, limit.softBytes, limit.softSeconds)
    }
}

/// Settings read on every read or reply, copied out of the configuration so the
/// hot path does no lookup by name. Refreshed whenever CONFIG SET changes anything.
struct HotSettings {
    var queryBufferLimit: Int
    var normalLimit: (hard: Int, soft: Int, softSeconds: Int)
    var replicaLimit: (hard: Int, soft: Int, softSeconds: Int)
    var pubsubLimit: (hard: Int, soft: Int, softSeconds: Int)

    init(_ config: ConfigStore) {
        queryBufferLimit = config.int("client-query-buffer-limit")
        normalLimit = config.outputBufferLimit(for: .normal)
        replicaLimit = config.outputBufferLimit(for: .replica)
        pubsubLimit = config.outputBufferLimit(for: .pubsub)
    }

    /// The output-buffer limit of a client kind (masters are never limited).
    func outputLimit(for kind: ClientKind) -> (hard: Int, soft: Int, softSeconds: Int) {
        switch kind {
        case .normal: normalLimit
        case .pubsub: pubsubLimit
        case .replica: replicaLimit
        case .master: (0, 0, 0)
        }
    }
}

extension Server {
    /// Applies changed directives to the running server. Throws to make CONFIG SET fail (the caller restores the old config).
    func applyConfigChanges(_ names: [String]) throws(CommandError) {
        hot = HotSettings(config)
        for name in names {
            switch name {
            case "loglevel":
                logger.level = LogLevel(word: config.string("loglevel")) ?? logger.level
            case "logfile":
                guard logger.reopen(path: config.string("logfile")) else {
                    throw CommandError("ERR CONFIG SET failed (possibly related to argument 'logfile') - can't open the log file")
                }
            case "proto-max-bulk-len":
                let limit = config.int("proto-max-bulk-len")
                for (_, c) in clients { c.parser.maxBulkLength = limit }
            case "requirepass":
                // Existing connections stay authenticated, as in Redis.
                break
            case "port", "bind":
                do throws(ServerStartError) {
                    try rebindListeners()
                } catch {
                    throw CommandError("ERR CONFIG SET failed (possibly related to argument '\(name)') - Unable to listen on this port: \(error)")
                }
            case "repl-backlog-size":
                replicationStream.setBacklogSize(config.int("repl-backlog-size"))
            case "min-replicas-to-write", "min-replicas-max-lag":
                loadMinReplicasConfig()
                refreshGoodReplicas()
            case "hz":
                if let timer = cronTimer { loop.cancel(timer) }
                let hz = max(1, min(500, config.int("hz")))
                cronTimer = loop.scheduleRepeating(everyMilliseconds: Int64(1000 / hz)) { [unowned self] in self.cron() }
            default:
                break
            }
        }
    }
}
