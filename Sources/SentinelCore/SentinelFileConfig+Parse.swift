// SentinelFileConfig+Parse: `sentinel …` configuration lines → SentinelFileConfig,
// following Redis 7.0's sentinelHandleConfiguration / loadSentinelConfigFromQueue.
//
// Rules:
//   1. Only lines named "sentinel" with at least one argument are read; a
//      bare `sentinel` (sentinel mode switch) and other lines are skipped.
//      Sub-directive names are case-insensitive.
//   2. Like Redis 7.0, lines are applied in three passes, each in file
//      order: the global directives (myid, current-epoch, announce-*,
//      resolve-hostnames, announce-hostnames, deny-scripts-reconfig,
//      sentinel-user, sentinel-pass), then every `monitor`, then everything
//      else. So a per-master directive may appear before its `monitor`
//      line, and resolve-hostnames applies to every address wherever it is
//      written. The first error met in that order is thrown.
//   3. A per-master directive naming no monitored master fails with
//      "No such master with specified name."; a second `monitor` of a name
//      with "Duplicate master name.". Messages are Redis's where it has one.
//   4. Stricter than Redis (which uses atoi/strtoull): numbers must be
//      plain decimals in range, ports 1...65535, IDs 40 lowercase hex
//      digits, master names non-empty without blanks/control bytes/','
//      (they travel in comma-separated hello messages), parallel-syncs ≥ 1.
//      Without resolve-hostnames an address must be an IP literal, as Redis
//      (which refuses to resolve names then) requires.
//   5. Repeated scalar directives: the last one wins, except current-epoch
//      (the largest wins). current-epoch is finally raised to the largest
//      config-epoch, as Redis does on load.
//   6. notification-script / client-reconfig-script are refused: Vigil
//      runs no scripts. known-sentinel without a run ID (pre-2.8 form) is
//      ignored, as in Redis.

import Config
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SentinelFileConfig {
    /// Parses the `sentinel …` lines of a configuration (see file header).
    /// - Throws: `ConfigError.invalidLine` naming the offending line.
    public static func parse(_ lines: [ConfigLine]) throws(ConfigError) -> SentinelFileConfig {
        var parser = SentinelFileParser()
        let statements = lines.filter { $0.name == "sentinel" && $0.words.count >= 2 }
        for phase in SentinelFileParser.Phase.allCases {
            for line in statements where SentinelFileDirective.phase(of: line) == phase {
                try parser.apply(line)
            }
        }
        return parser.finish()
    }

    /// Whether `host` is an acceptable instance address: non-empty, no
    /// blanks, control bytes or ','; and an IP literal unless
    /// `resolveHostnames`. Addresses the core learns at run time (hello
    /// messages, SENTINEL MONITOR) should pass this check, or the file
    /// written from them will not load again.
    public static func isValidInstanceHost(_ host: String, resolveHostnames: Bool) -> Bool {
        SentinelSyntax.isAddress(host) && (resolveHostnames || Checker.isIPLiteral(host))
    }

    /// Whether `name` is an acceptable master name: non-empty, no blanks,
    /// control bytes or ',' (it travels in comma-separated hello messages).
    public static func isValidMasterName(_ name: String) -> Bool {
        SentinelSyntax.isAddress(name)
    }
}

/// The sentinel sub-directives Vigil knows, with their shape.
private enum SentinelFileDirective: String {
    case monitor
    case downAfterMilliseconds = "down-after-milliseconds"
    case failoverTimeout = "failover-timeout"
    case parallelSyncs = "parallel-syncs"
    case authPass = "auth-pass"
    case authUser = "auth-user"
    case configEpoch = "config-epoch"
    case leaderEpoch = "leader-epoch"
    case masterRebootDownAfterPeriod = "master-reboot-down-after-period"
    case knownReplica = "known-replica"
    case knownSlave = "known-slave"
    case knownSentinel = "known-sentinel"
    case renameCommand = "rename-command"
    case notificationScript = "notification-script"
    case clientReconfigScript = "client-reconfig-script"
    case myID = "myid"
    case currentEpoch = "current-epoch"
    case announceIP = "announce-ip"
    case announcePort = "announce-port"
    case resolveHostnames = "resolve-hostnames"
    case announceHostnames = "announce-hostnames"
    case denyScriptsReconfig = "deny-scripts-reconfig"
    case sentinelUser = "sentinel-user"
    case sentinelPass = "sentinel-pass"

    /// The directive a line names, if known.
    init?(line: ConfigLine) {
        guard line.words.count >= 2 else { return nil }
        self.init(rawValue: SentinelFileDirective.asciiLowercased(line.words[1]))
    }

    static func phase(of line: ConfigLine) -> SentinelFileParser.Phase {
        guard let directive = SentinelFileDirective(line: line) else { return .perMaster }
        switch directive {
        case .myID, .currentEpoch, .announceIP, .announcePort, .resolveHostnames, .announceHostnames,
             .denyScriptsReconfig, .sentinelUser, .sentinelPass:
            return .global
        case .monitor:
            return .monitor
        case .downAfterMilliseconds, .failoverTimeout, .parallelSyncs, .authPass, .authUser, .configEpoch,
             .leaderEpoch, .masterRebootDownAfterPeriod, .knownReplica, .knownSlave, .knownSentinel,
             .renameCommand, .notificationScript, .clientReconfigScript:
            return .perMaster
        }
    }

    /// The arguments after the directive name, for error messages.
    var usage: String {
        switch self {
        case .monitor: return "<master-name> <ip> <port> <quorum>"
        case .downAfterMilliseconds, .failoverTimeout, .masterRebootDownAfterPeriod:
            return "<master-name> <milliseconds>"
        case .parallelSyncs: return "<master-name> <count>"
        case .authPass: return "<master-name> <password>"
        case .authUser: return "<master-name> <username>"
        case .configEpoch, .leaderEpoch: return "<master-name> <epoch>"
        case .knownReplica, .knownSlave: return "<master-name> <ip> <port>"
        case .knownSentinel: return "<master-name> <ip> <port> <runid>"
        case .renameCommand: return "<master-name> <command> <renamed-command>"
        case .notificationScript, .clientReconfigScript: return "<master-name> <path>"
        case .myID: return "<40 hex digits>"
        case .currentEpoch: return "<epoch>"
        case .announceIP: return "<ip>"
        case .announcePort: return "<port>"
        case .resolveHostnames, .announceHostnames, .denyScriptsReconfig: return "<yes|no>"
        case .sentinelUser: return "<username>"
        case .sentinelPass: return "<password>"
        }
    }

    /// Accepted argument counts (after the directive name).
    var argumentCounts: ClosedRange<Int> {
        switch self {
        case .monitor: return 4...4
        case .knownReplica, .knownSlave, .renameCommand: return 3...3
        case .knownSentinel: return 3...4
        case .downAfterMilliseconds, .failoverTimeout, .parallelSyncs, .authPass, .authUser, .configEpoch,
             .leaderEpoch, .masterRebootDownAfterPeriod, .notificationScript, .clientReconfigScript:
            return 2...2
        case .myID, .currentEpoch, .announceIP, .announcePort, .resolveHostnames, .announceHostnames,
             .denyScriptsReconfig, .sentinelUser, .sentinelPass:
            return 1...1
        }
    }

    static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// Accumulates a SentinelFileConfig line by line.
private struct SentinelFileParser {
    /// Redis's three loading queues, in loading order.
    enum Phase: CaseIterable { case global, monitor, perMaster }

    var config = SentinelFileConfig()
    /// Master name → index in `config.masters`.
    var masterIndex: [String: Int] = [:]

    mutating func apply(_ line: ConfigLine) throws(ConfigError) {
        guard let directive = SentinelFileDirective(line: line) else {
            throw .invalidLine(line, reason: "Unrecognized sentinel configuration statement.")
        }
        // words = ["sentinel", directive, args...]
        let args = Array(line.words.dropFirst(2))
        guard directive.argumentCounts.contains(args.count) else {
            throw .invalidLine(line, reason: "Wrong number of arguments for 'sentinel \(directive.rawValue)'"
                + " (expected: sentinel \(directive.rawValue) \(directive.usage))")
        }
        let check = Checker(line: line, resolveHostnames: config.resolveHostnames)
        switch directive {
        case .myID:
            guard SentinelSyntax.isRunID(args[0]) else { throw check.fail("Malformed Sentinel id in myid option.") }
            config.myID = args[0]
        case .currentEpoch:
            config.currentEpoch = max(config.currentEpoch, try check.epoch(args[0]))
        case .announceIP:
            if args[0].isEmpty {
                config.announceIP = nil
            } else {
                guard SentinelSyntax.isAddress(args[0]) else {
                    throw check.fail("announce-ip must not contain blanks, control characters or ','.")
                }
                config.announceIP = args[0]
            }
        case .announcePort:
            guard let port = ConfigNumbers.parseInteger(args[0]) else { throw check.notInteger() }
            guard (0...65535).contains(port) else { throw check.fail("Invalid port number.") }
            config.announcePort = port == 0 ? nil : port
        case .resolveHostnames:
            config.resolveHostnames = try check.yesNo(args[0], option: "resolve-hostnames option")
        case .announceHostnames:
            config.announceHostnames = try check.yesNo(args[0], option: "announce-hostnames option")
        case .denyScriptsReconfig:
            // Redis's message says "options".
            config.denyScriptsReconfig = try check.yesNo(args[0], option: "deny-scripts-reconfig options")
        case .sentinelUser:
            config.sentinelUser = args[0].isEmpty ? nil : args[0]
        case .sentinelPass:
            config.sentinelPass = args[0].isEmpty ? nil : args[0]
        case .monitor:
            try monitor(args, check)
        case .notificationScript, .clientReconfigScript:
            throw check.fail("scripts are not supported by Vigil: remove the 'sentinel \(directive.rawValue)' line.")
        case .downAfterMilliseconds, .failoverTimeout, .parallelSyncs, .authPass, .authUser, .configEpoch,
             .leaderEpoch, .masterRebootDownAfterPeriod, .knownReplica, .knownSlave, .knownSentinel,
             .renameCommand:
            try perMaster(directive, args, check)
        }
    }

    private mutating func monitor(_ args: [String], _ check: Checker) throws(ConfigError) {
        let name = args[0]
        guard SentinelFileConfig.isValidMasterName(name) else {
            throw check.fail("Invalid master name: it must not be empty or contain blanks, control characters or ','.")
        }
        guard let quorum = ConfigNumbers.parseInteger(args[3]) else { throw check.notInteger() }
        guard quorum >= 1 else { throw check.fail("Quorum must be 1 or greater.") }
        guard quorum <= Int(Int32.max) else { throw check.fail("Quorum must be at most \(Int32.max).") }
        let port = try check.port(args[2])
        let host = try check.host(args[1])
        guard masterIndex[name] == nil else { throw check.fail("Duplicate master name.") }
        masterIndex[name] = config.masters.count
        config.masters.append(MasterFileConfig(name: name, host: host, port: port, quorum: quorum))
    }

    private mutating func perMaster(_ directive: SentinelFileDirective, _ args: [String],
                                    _ check: Checker) throws(ConfigError) {
        // known-sentinel without a run ID is the pre-2.8 form: ignored, master unchecked.
        if directive == .knownSentinel && args.count == 3 { return }
        guard let index = masterIndex[args[0]] else { throw check.fail("No such master with specified name.") }
        var master = config.masters[index]
        switch directive {
        case .downAfterMilliseconds:
            master.downAfterMilliseconds = try check.period(args[1], allowZero: false)
        case .failoverTimeout:
            master.failoverTimeout = try check.period(args[1], allowZero: false)
        case .masterRebootDownAfterPeriod:
            master.masterRebootDownAfterPeriod = try check.period(args[1], allowZero: true)
        case .parallelSyncs:
            guard let n = ConfigNumbers.parseInteger(args[1]) else { throw check.notInteger() }
            guard n >= 1, n <= Int(Int32.max) else { throw check.fail("parallel-syncs must be between 1 and \(Int32.max).") }
            master.parallelSyncs = n
        case .authPass:
            master.authPass = args[1].isEmpty ? nil : args[1]
        case .authUser:
            master.authUser = args[1].isEmpty ? nil : args[1]
        case .configEpoch:
            master.configEpoch = try check.epoch(args[1])
        case .leaderEpoch:
            master.leaderEpoch = try check.epoch(args[1])
        case .knownReplica, .knownSlave:
            let port = try check.port(args[2])
            let replica = MasterFileConfig.HostPort(host: try check.host(args[1]), port: port)
            guard !master.knownReplicas.contains(replica) else {
                throw check.fail("Duplicate hostname and port for replica.")
            }
            master.knownReplicas.append(replica)
        case .knownSentinel:
            guard SentinelSyntax.isRunID(args[3]) else {
                throw check.fail("Malformed Sentinel id in known-sentinel option.")
            }
            let port = try check.port(args[2])
            let peer = MasterFileConfig.KnownSentinel(host: try check.host(args[1]), port: port, runID: args[3])
            guard !master.knownSentinels.contains(where: { $0.runID == peer.runID }) else {
                throw check.fail("Duplicate runid for sentinel.")
            }
            master.knownSentinels.append(peer)
        case .renameCommand:
            guard !args[1].isEmpty, !args[2].isEmpty else {
                throw check.fail("rename-command needs non-empty command names.")
            }
            let original = SentinelFileDirective.asciiLowercased(args[1])
            guard master.renamedCommands[original] == nil else {
                throw check.fail("Same command renamed multiple times with rename-command.")
            }
            master.renamedCommands[original] = args[2]
        case .monitor, .notificationScript, .clientReconfigScript, .myID, .currentEpoch, .announceIP,
             .announcePort, .resolveHostnames, .announceHostnames, .denyScriptsReconfig, .sentinelUser,
             .sentinelPass:
            preconditionFailure("not a per-master directive: \(directive.rawValue)")
        }
        config.masters[index] = master
    }

    /// The result, with current-epoch raised to the largest config-epoch.
    func finish() -> SentinelFileConfig {
        var result = config
        for master in result.masters where master.configEpoch > result.currentEpoch {
            result.currentEpoch = master.configEpoch
        }
        return result
    }
}

/// Value checks for one line, producing that line's errors.
private struct Checker {
    let line: ConfigLine
    let resolveHostnames: Bool

    func fail(_ reason: String) -> ConfigError { .invalidLine(line, reason: reason) }

    func notInteger() -> ConfigError { fail("argument couldn't be parsed into an integer") }

    func epoch(_ s: String) throws(ConfigError) -> UInt64 {
        guard let v = SentinelSyntax.epoch(s) else {
            throw fail("Invalid epoch: it must be a decimal integer between 0 and \(Int64.max).")
        }
        return v
    }

    func port(_ s: String) throws(ConfigError) -> Int {
        guard let v = ConfigNumbers.parseInteger(s), (1...65535).contains(v) else { throw fail("Invalid port number.") }
        return v
    }

    /// A period in milliseconds: > 0 (or ≥ 0), at most Redis's `int` range.
    func period(_ s: String, allowZero: Bool) throws(ConfigError) -> Int64 {
        guard let v = ConfigNumbers.parseInteger(s) else { throw notInteger() }
        if allowZero {
            guard v >= 0 else { throw fail("negative time parameter.") }
        } else {
            guard v > 0 else { throw fail("negative or zero time parameter.") }
        }
        guard Int64(v) <= MasterFileConfig.maximumPeriod else {
            throw fail("time parameter out of range (at most \(MasterFileConfig.maximumPeriod) milliseconds).")
        }
        return Int64(v)
    }

    func yesNo(_ s: String, option: String) throws(ConfigError) -> Bool {
        switch SentinelFileDirective.asciiLowercased(s) {
        case "yes": return true
        case "no": return false
        default: throw fail("Please specify yes or no for the \(option).")
        }
    }

    /// An instance address: an IP literal, or any name when resolve-hostnames
    /// is on. Redis's wording for a refused address.
    func host(_ s: String) throws(ConfigError) -> String {
        guard SentinelFileConfig.isValidInstanceHost(s, resolveHostnames: resolveHostnames) else {
            throw fail("Can't resolve instance hostname.")
        }
        return s
    }

    /// True for an IPv4 or IPv6 address literal (inet_pton). Callers have
    /// already excluded NUL and blank bytes.
    static func isIPLiteral(_ s: String) -> Bool {
        var buffer = (UInt64(0), UInt64(0))
        return s.withCString { text in
            withUnsafeMutableBytes(of: &buffer) { raw in
                inet_pton(AF_INET, text, raw.baseAddress) == 1 || inet_pton(AF_INET6, text, raw.baseAddress) == 1
            }
        }
    }
}
