// SENTINEL commands that change the core's state: FAILOVER, MONITOR, REMOVE,
// SET, RESET, and the global announce settings. Each returns Redis's error
// text on refusal and the actions to perform (events, persistence).
//
// SENTINEL FAILOVER (Redis: forced, no election): Vigil makes it a
// coordinated switchover when the master is reachable — pause its writes,
// wait for the chosen replica's offset to reach the master's, promote, point
// the old master at the new one at once, unpause — so no acknowledged write
// is lost. Unreachable master: the plain forced failover.

/// A refused SENTINEL command; `message` is the RESP error text without the leading '-'.
public struct SentinelCommandError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }

    static let noSuchMaster = SentinelCommandError("ERR No such master with that name")
}

extension SentinelCore {
    /// SENTINEL FAILOVER name.
    public mutating func failover(masterName: String, now: Int64) -> Result<[SentinelAction], SentinelCommandError> {
        guard let m = masterIndex(named: masterName) else { return .failure(.noSuchMaster) }
        guard masters[m].failover == nil else { return .failure(SentinelCommandError("INPROG Failover already in progress")) }
        guard selectReplica(master: m, now: now) != nil else {
            return .failure(SentinelCommandError("NOGOODSLAVE No suitable replica to promote"))
        }
        let coordinated = masters[m].node.link.isConnected && !masters[m].node.isSubjectivelyDown
        emit(SentinelEvent(.warning, "+new-epoch", masterName: nil, payload: "\(currentEpoch + 1)"))
        currentEpoch += 1
        masters[m].failover = FailoverProgress(epoch: currentEpoch, now: now, isForced: true, isCoordinated: coordinated)
        emit(SentinelEvent(.warning, "+try-failover", about: masters[m].description))
        masters[m].failoverStartTime = now
        persist()
        runFailover(master: m, now: now)
        return .success(drain())
    }

    /// SENTINEL MONITOR name ip port quorum.
    public mutating func monitor(name: String, host: String, port: Int, quorum: Int,
                                 now: Int64) -> Result<[SentinelAction], SentinelCommandError> {
        guard quorum > 0 else { return .failure(SentinelCommandError("ERR Quorum must be 1 or greater.")) }
        guard (1...65535).contains(port) else { return .failure(SentinelCommandError("ERR Invalid port number.")) }
        guard masterIndex(named: name) == nil else { return .failure(SentinelCommandError("ERR Duplicate master name.")) }
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "," }) else {
            return .failure(SentinelCommandError("ERR Invalid master name"))
        }
        let record = MasterRecord(name: name, address: InstanceAddress(host: host, port: port), quorum: quorum,
                                  downAfter: timings.defaultDownAfter, failoverTimeout: timings.defaultFailoverTimeout,
                                  parallelSyncs: 1, now: now)
        masters.append(record)
        persist()
        emit(SentinelEvent(.warning, "+monitor", about: record.description, detail: "quorum \(quorum)"))
        return .success(drain())
    }

    /// SENTINEL REMOVE name.
    public mutating func remove(name: String) -> Result<[SentinelAction], SentinelCommandError> {
        guard let m = masterIndex(named: name) else { return .failure(.noSuchMaster) }
        emit(SentinelEvent(.warning, "-monitor", about: masters[m].description))
        masters.remove(at: m)
        persist()
        return .success(drain())
    }

    /// SENTINEL RESET pattern: forget replicas, peers, failover state of matching masters; returns how many.
    public mutating func reset(matching matches: (String) -> Bool, now: Int64) -> (count: Int, actions: [SentinelAction]) {
        var count = 0
        for m in masters.indices where matches(masters[m].name) {
            count += 1
            let old = masters[m]
            var record = MasterRecord(name: old.name, address: old.address, quorum: old.quorum, downAfter: old.downAfter,
                                      failoverTimeout: old.failoverTimeout, parallelSyncs: old.parallelSyncs,
                                      configEpoch: old.configEpoch, leaderEpoch: old.leaderEpoch, now: now)
            record.authPass = old.authPass
            record.authUser = old.authUser
            record.rebootDownAfter = old.rebootDownAfter
            record.renamedCommands = old.renamedCommands
            record.leader = old.leader
            record.node.link = old.node.link
            record.node.runID = old.node.runID
            masters[m] = record
            emit(SentinelEvent(.warning, "+reset-master", about: record.description))
        }
        if count > 0 { persist() }
        return (count, drain())
    }

    /// SENTINEL SET name option value [option value …].
    public mutating func set(masterName: String, _ pairs: [String]) -> Result<[SentinelAction], SentinelCommandError> {
        guard let m = masterIndex(named: masterName) else { return .failure(.noSuchMaster) }
        var i = 0
        var record = masters[m]
        var changes: [(String, String)] = []
        while i < pairs.count {
            let option = pairs[i].lowercased()
            let arity = option == "rename-command" ? 2 : 1
            guard i + arity < pairs.count else {   // the option and its value(s) are all there
                return .failure(SentinelCommandError("ERR Unknown option or number of arguments for SENTINEL SET '\(pairs[i])'"))
            }
            let value = pairs[i + 1]
            let invalid = SentinelCommandError("ERR Invalid argument '\(value)' for SENTINEL SET '\(pairs[i])'")
            switch option {
            case "down-after-milliseconds", "failover-timeout", "parallel-syncs", "quorum":
                guard let n = Int64(value), n > 0, n <= Int64(Int32.max) else { return .failure(invalid) }
                switch option {
                case "down-after-milliseconds": record.downAfter = n
                case "failover-timeout": record.failoverTimeout = n
                case "parallel-syncs": record.parallelSyncs = Int(n)
                default: record.quorum = Int(n)
                }
            case "master-reboot-down-after-period":
                guard let n = Int64(value), n >= 0, n <= Int64(Int32.max) else { return .failure(invalid) }
                record.rebootDownAfter = n
            case "auth-pass": record.authPass = value.isEmpty ? nil : value
            case "auth-user": record.authUser = value.isEmpty ? nil : value
            case "rename-command":
                let renamed = pairs[i + 2]
                guard !value.isEmpty, !renamed.isEmpty else { return .failure(invalid) }
                if value.lowercased() == renamed.lowercased() { record.renamedCommands[value.lowercased()] = nil }
                else { record.renamedCommands[value.lowercased()] = renamed }
            case "notification-script", "client-reconfig-script":
                return .failure(SentinelCommandError("ERR Reconfiguration of scripts path is denied for security reasons. Vigil does not run scripts."))
            default:
                return .failure(SentinelCommandError("ERR Unknown option or number of arguments for SENTINEL SET '\(pairs[i])'"))
            }
            changes.append((option, arity == 2 ? "\(value) \(pairs[i + 2])" : (option.hasPrefix("auth-") ? "******" : value)))
            i += 1 + arity
        }
        masters[m] = record
        for (option, value) in changes {
            emit(SentinelEvent(.warning, "+set", about: record.description, detail: "\(option) \(value)"))
        }
        persist()
        return .success(drain())
    }

    /// The announce port as configured (nil when it follows the listening port).
    var configuredAnnouncePort: Int? { announcePortIsExplicit ? announcePort : nil }
}
