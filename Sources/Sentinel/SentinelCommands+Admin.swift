// SENTINEL subcommands that change things: FAILOVER, RESET, MONITOR, REMOVE,
// SET, FLUSHCONFIG, CONFIG GET/SET, DEBUG, SIMULATE-FAILURE, HELP. Changes go
// through the core, whose actions (events, persistence) are applied before
// the reply.

import Glibc
import RESP
import Node
import Keyspace
import SentinelCore

extension SentinelDaemon {
    func sentinelAdminCommand(_ ctx: inout CommandContext, sub: String,
                              need: (Int, Bool) throws(CommandError) -> Void) throws(CommandError) {
        switch sub {
        case "failover":
            try need(3, true)
            try run(core.failover(masterName: ctx.string(2), now: now))
            ctx.reply.simple("OK")
        case "reset":
            try need(3, true)
            let pattern = ctx.args[2]
            let (count, actions) = core.reset(matching: { globMatch(pattern: pattern, string: Array($0.utf8), caseInsensitive: false) }, now: now)
            applyNow(actions)
            syncLinks()
            ctx.reply.integer(count)
        case "monitor":
            try need(6, true)
            // Redis's order: quorum, port, then the address.
            let int32Range = Int64(Int32.min)...Int64(Int32.max)
            guard let quorum = Int64(ctx.string(5)), int32Range.contains(quorum) else { throw CommandError("ERR Invalid quorum") }
            guard let port = Int64(ctx.string(4)), int32Range.contains(port) else { throw CommandError("ERR Invalid port") }
            let host = ctx.string(3)
            if !core.resolveHostnames, !Self.isIPAddress(host) {
                throw CommandError("ERR Invalid IP address or hostname specified")
            }
            try run(core.monitor(name: ctx.string(2), host: host, port: Int(port), quorum: Int(quorum), now: now))
            syncLinks()
            ctx.reply.simple("OK")
        case "remove":
            try need(3, true)
            try run(core.remove(name: ctx.string(2)))
            syncLinks()
            ctx.reply.simple("OK")
        case "set":
            try need(5, false)
            try run(core.set(masterName: ctx.string(2), ctx.args[3...].map { String(decoding: $0, as: UTF8.self) }))
            syncLinks()
            ctx.reply.simple("OK")
        case "flushconfig":
            try need(2, true)
            persistNow()
            ctx.reply.simple("OK")
        case "config":
            try configCommand(&ctx)
        case "debug":
            try debugCommand(&ctx)
        case "simulate-failure":
            try need(3, false)
            var flags: SimulatedFailures = []
            for word in ctx.args[2...].map({ String(decoding: $0, as: UTF8.self).lowercased() }) {
                switch word {
                case "crash-after-election": flags.insert(.crashAfterElection)
                case "crash-after-promotion": flags.insert(.crashAfterPromotion)
                case "help":
                    ctx.reply.arrayHeader(2)
                    ctx.reply.simple("crash-after-election")
                    ctx.reply.simple("crash-after-promotion")
                    return
                default: throw CommandError("ERR Unknown failure simulation specified")
                }
            }
            core.simulatedFailures = flags
            ctx.reply.simple("OK")
        case "help":
            ctx.reply.arrayHeader(Self.helpLines.count)
            for line in Self.helpLines { ctx.reply.simple(line) }
        default:
            throw CommandError.unknownSubcommand(ctx.string(1), of: "SENTINEL")
        }
    }

    func run(_ result: Result<[SentinelAction], SentinelCommandError>) throws(CommandError) {
        switch result {
        case .success(let actions): applyNow(actions)
        case .failure(let error): throw CommandError(error.message)
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// SENTINEL CONFIG GET pattern / SET name value [name value …].
    func configCommand(_ ctx: inout CommandContext) throws(CommandError) {
        let unsupported = CommandError("ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.")
        guard ctx.args.count >= 3 else { throw unsupported }
        let action = ctx.string(2).lowercased()
        if action == "get" {
            guard ctx.args.count >= 4 else { throw unsupported }
            var pairs: [(String, String)] = []
            for (name, value) in globalSettings() where ctx.args[3...].contains(where: {
                globMatch(pattern: $0, string: Array(name.utf8), caseInsensitive: true) }) {
                pairs.append((name, value))
            }
            InstanceFields.write(pairs, to: &ctx.reply)
            return
        }
        guard action == "set", ctx.args.count >= 5, (ctx.args.count - 3) % 2 == 0 else { throw unsupported }
        var updated = core
        var i = 3
        while i < ctx.args.count {
            let name = ctx.string(i).lowercased()
            let value = ctx.string(i + 1)
            let invalid = CommandError("ERR Invalid value '\(value)' to SENTINEL CONFIG SET '\(name)'")
            switch name {
            case "resolve-hostnames", "announce-hostnames":
                guard let flag = Self.yesNo(value) else { throw invalid }
                if name == "resolve-hostnames" { updated.resolveHostnames = flag } else { updated.announceHostnames = flag }
            case "announce-ip":
                updated.announceIP = value.isEmpty ? nil : value
            case "announce-port":
                guard let port = Int(value), (0...65535).contains(port) else { throw invalid }
                updated.announcePort = port == 0 ? server.boundPort : port
                updated.announcePortIsExplicit = port != 0
            case "sentinel-user": updated.sentinelUser = value.isEmpty ? nil : value
            case "sentinel-pass": updated.sentinelPass = value.isEmpty ? nil : value
            case "deny-scripts-reconfig":
                guard let flag = Self.yesNo(value) else { throw invalid }
                updated.denyScriptsReconfig = flag
            default:
                throw CommandError("ERR Invalid argument '\(name)' to SENTINEL CONFIG SET")
            }
            i += 2
        }
        core = updated
        persistNow()
        syncLinks()
        ctx.reply.simple("OK")
    }

    func globalSettings() -> [(String, String)] {
        [("resolve-hostnames", core.resolveHostnames ? "yes" : "no"),
         ("announce-hostnames", core.announceHostnames ? "yes" : "no"),
         ("announce-ip", core.announceIP ?? ""),
         ("announce-port", String(core.announcePortIsExplicit ? core.announcePort : 0)),
         ("sentinel-user", core.sentinelUser ?? ""),
         ("sentinel-pass", core.sentinelPass ?? ""),
         ("deny-scripts-reconfig", core.denyScriptsReconfig ? "yes" : "no")]
    }

    static func yesNo(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "yes": true
        case "no": false
        default: nil
        }
    }

    /// The largest value SENTINEL DEBUG accepts (ms): the bound of every other
    /// sentinel period (`MasterFileConfig.maximumPeriod`), so the core's
    /// timer arithmetic (periods × 5, sums of periods) cannot overflow.
    static let maximumDebugValue = MasterFileConfig.maximumPeriod

    /// SENTINEL DEBUG [name value …]: list or change the protocol timers.
    func debugCommand(_ ctx: inout CommandContext) throws(CommandError) {
        if ctx.args.count == 2 {
            InstanceFields.write(core.timings.debugFields.map { ($0.0, String($0.1)) }, to: &ctx.reply)
            return
        }
        var timings = core.timings
        let known = Set(timings.debugFields.map(\.0))
        var i = 2
        while i < ctx.args.count {
            let name = ctx.string(i)
            guard i + 1 < ctx.args.count, known.contains(name.uppercased()) else {
                throw CommandError("ERR Unknown option or number of arguments for SENTINEL DEBUG '\(name)'")
            }
            guard let value = Int64(ctx.string(i + 1)), value <= Self.maximumDebugValue, timings.set(name, value) else {
                throw CommandError("ERR Invalid argument '\(ctx.string(i + 1))' for SENTINEL DEBUG '\(name)'")
            }
            i += 2
        }
        core.timings = timings
        ctx.reply.simple("OK")
    }

    static let helpLines = [
        "SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CKQUORUM <master-name>", "    Check if the current Sentinel configuration is able to reach the quorum",
        "CONFIG SET <param> <value> / CONFIG GET <param>", "    Set or get a global Sentinel configuration parameter.",
        "DEBUG [<param> <value> ...]", "    Show or change the Sentinel timers (for tests).",
        "EVENTS [<master-name> [<count>]]", "    Vigil: recent events as [unix-ms, master, event, payload].",
        "GET-MASTER-ADDR-BY-NAME <master-name>", "    Return the ip and port number of the master with that name.",
        "FAILOVER <master-name>", "    Manually failover a master node (Vigil: zero-loss switchover when it is reachable).",
        "FLUSHCONFIG", "    Force Sentinel to rewrite its configuration on disk, including the current Sentinel state.",
        "INFO-CACHE <master-name>", "    Return last cached INFO output from masters and all its replicas.",
        "IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>", "    Check if the master specified by ip:port is down from current Sentinel's point of view.",
        "MASTER <master-name>", "    Show the state and info of the specified master.",
        "MASTERS", "    Show a list of monitored masters and their state.",
        "MONITOR <name> <ip> <port> <quorum>", "    Start monitoring a new master with the specified name, ip, port and quorum.",
        "MYID", "    Return the ID of the Sentinel instance.",
        "PENDING-SCRIPTS", "    Get pending scripts information.",
        "REMOVE <master-name>", "    Remove master from Sentinel's monitor list.",
        "REPLICAS <master-name>", "    Show a list of replicas for this master and their state.",
        "RESET <pattern>", "    Reset masters for specific master name matching this pattern.",
        "SENTINELS <master-name>", "    Show a list of Sentinel instances for this master and their state.",
        "SET <master-name> <option> <value> [<option> <value> ...]", "    Set configuration parameters for certain masters.",
        "SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]", "    Simulate a Sentinel crash.",
        "HELP", "    Print this help.",
    ]
}
