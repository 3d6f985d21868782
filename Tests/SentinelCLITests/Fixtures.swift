// Fixtures.swift — canned sentinel replies in the exact RESP2 shapes a real
// redis-sentinel 7.0.15 sent (captured from a 1-master, 1-replica,
// 3-sentinel setup on loopback, before and after a failover), plus a
// `CannedSentinel` that answers commands from a table.

import RESP
@testable import SentinelCLI

/// A flat RESP2 field/value array of bulk strings.
func flat(_ pairs: [(String, String)]) -> RESPValue {
    .array(pairs.flatMap { [RESPValue.bulk(Array($0.0.utf8)), .bulk(Array($0.1.utf8))] })
}

/// A bulk string.
func bulk(_ text: String) -> RESPValue { .bulk(Array(text.utf8)) }

enum Fixture {
    /// SENTINEL MASTER mymaster after the failover to 17302.
    static let masterPairs: [(String, String)] = [
        ("name", "mymaster"), ("ip", "127.0.0.1"), ("port", "17302"),
        ("runid", "2c96ef10068746dac9d53123bd87d683c836f865"), ("flags", "master"),
        ("link-pending-commands", "0"), ("link-refcount", "1"), ("last-ping-sent", "0"),
        ("last-ok-ping-reply", "333"), ("last-ping-reply", "333"), ("down-after-milliseconds", "2000"),
        ("info-refresh", "195"), ("role-reported", "master"), ("role-reported-time", "351"),
        ("config-epoch", "1"), ("num-slaves", "1"), ("num-other-sentinels", "2"), ("quorum", "2"),
        ("failover-timeout", "10000"), ("parallel-syncs", "1"),
    ]

    /// SENTINEL MASTER while a forced failover waits to start.
    static let failingOverPairs: [(String, String)] = [
        ("name", "mymaster"), ("ip", "127.0.0.1"), ("port", "17302"),
        ("runid", "2c96ef10068746dac9d53123bd87d683c836f865"),
        ("flags", "master,failover_in_progress,force_failover"),
        ("link-pending-commands", "0"), ("link-refcount", "1"), ("failover-state", "wait_start"),
        ("last-ping-sent", "0"), ("last-ok-ping-reply", "100"), ("last-ping-reply", "100"),
        ("down-after-milliseconds", "2000"), ("info-refresh", "900"), ("role-reported", "master"),
        ("role-reported-time", "60000"), ("config-epoch", "1"), ("num-slaves", "1"),
        ("num-other-sentinels", "2"), ("quorum", "2"), ("failover-timeout", "10000"), ("parallel-syncs", "1"),
    ]

    /// SENTINEL REPLICAS entry for a healthy replica.
    static func replicaPairs(port: String = "17301", offset: String = "827", link: String = "ok") -> [(String, String)] {
        [
            ("name", "127.0.0.1:\(port)"), ("ip", "127.0.0.1"), ("port", port),
            ("runid", "b923b7bc63710fdb46d4c983eeb5e3367bf934a9"), ("flags", "slave"),
            ("link-pending-commands", "0"), ("link-refcount", "1"), ("last-ping-sent", "0"),
            ("last-ok-ping-reply", "492"), ("last-ping-reply", "492"), ("down-after-milliseconds", "2000"),
            ("info-refresh", "492"), ("role-reported", "slave"), ("role-reported-time", "5655"),
            ("master-link-down-time", "0"), ("master-link-status", link), ("master-host", "127.0.0.1"),
            ("master-port", "17302"), ("slave-priority", "100"), ("slave-repl-offset", offset),
            ("replica-announced", "1"),
        ]
    }

    /// SENTINEL SENTINELS entry.
    static func sentinelPairs(port: String, runid: String) -> [(String, String)] {
        [
            ("name", runid), ("ip", "127.0.0.1"), ("port", port), ("runid", runid), ("flags", "sentinel"),
            ("link-pending-commands", "0"), ("link-refcount", "1"), ("last-ping-sent", "0"),
            ("last-ok-ping-reply", "498"), ("last-ping-reply", "498"), ("down-after-milliseconds", "2000"),
            ("last-hello-message", "1530"), ("voted-leader", "?"), ("voted-leader-epoch", "0"),
        ]
    }

    static let peerA = "323e4f2de145baee0ee938c02be263cf39a9fe50"
    static let peerB = "1f0da87bee9cd0019fbae69fa8ca1f1e8981788a"

    /// SENTINEL INFO-CACHE mymaster: [name, [[age, master INFO], [age, replica INFO or null]]].
    static func infoCache(masterOffset: Int64) -> RESPValue {
        .array([
            bulk("mymaster"),
            .array([
                .array([.integer(195), bulk("# Server\r\nredis_version:7.0.15\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nmaster_repl_offset:\(masterOffset)\r\nsecond_repl_offset:-1\r\n")]),
                .array([.integer(492), .null]),
            ]),
        ])
    }

    /// 2026-11-25 00:44:13.626 UTC, the leader's "+sdown".
    static let t0: Int64 = 1_795_567_453_626

    /// The leader's events of one failover (names and payloads as logged by
    /// redis-sentinel 7.0.15), preceded by discovery events.
    static let leaderEvents: [SentinelEventRecord] = [
        event(-18_725, "+monitor", "master mymaster 127.0.0.1 17301 quorum 2"),
        event(-18_724, "+slave", "slave 127.0.0.1:17302 127.0.0.1 17302 @ mymaster 127.0.0.1 17301"),
        event(-16_710, "+sentinel", "sentinel ae36bb173a8bb3d81cb6f2e3a227783805a91f6f 127.0.0.1 27301 @ mymaster 127.0.0.1 17301"),
        event(0, "+sdown", "master mymaster 127.0.0.1 17301"),
        event(67, "+odown", "master mymaster 127.0.0.1 17301 #quorum 2/2"),
        event(67, "+new-epoch", "1"),
        event(67, "+try-failover", "master mymaster 127.0.0.1 17301"),
        event(70, "+vote-for-leader", "323e4f2de145baee0ee938c02be263cf39a9fe50 1"),
        event(142, "+elected-leader", "master mymaster 127.0.0.1 17301"),
        event(142, "+failover-state-select-slave", "master mymaster 127.0.0.1 17301"),
        event(194, "+selected-slave", "slave 127.0.0.1:17302 127.0.0.1 17302 @ mymaster 127.0.0.1 17301"),
        event(1079, "+promoted-slave", "slave 127.0.0.1:17302 127.0.0.1 17302 @ mymaster 127.0.0.1 17301"),
        event(1144, "+failover-end", "master mymaster 127.0.0.1 17301"),
        event(1144, "+switch-master", "mymaster 127.0.0.1 17301 127.0.0.1 17302"),
        event(1144, "+slave", "slave 127.0.0.1:17301 127.0.0.1 17301 @ mymaster 127.0.0.1 17302"),
    ]

    /// What a non-leader sentinel logged for the same failover.
    static let observerEvents: [SentinelEventRecord] = [
        event(-16_700, "+sentinel", "sentinel 1f0da87bee9cd0019fbae69fa8ca1f1e8981788a 127.0.0.1 27302 @ mymaster 127.0.0.1 17301"),
        event(72, "+new-epoch", "1"),
        event(73, "+vote-for-leader", "323e4f2de145baee0ee938c02be263cf39a9fe50 1"),
        event(883, "+sdown", "master mymaster 127.0.0.1 17301"),
        event(946, "+odown", "master mymaster 127.0.0.1 17301 #quorum 3/2"),
        event(1146, "+config-update-from", "sentinel 323e4f2de145baee0ee938c02be263cf39a9fe50 127.0.0.1 27303 @ mymaster 127.0.0.1 17301"),
        event(1146, "+switch-master", "mymaster 127.0.0.1 17301 127.0.0.1 17302"),
        event(1146, "+slave", "slave 127.0.0.1:17301 127.0.0.1 17301 @ mymaster 127.0.0.1 17302"),
        event(3246, "+sdown", "slave 127.0.0.1:17301 127.0.0.1 17301 @ mymaster 127.0.0.1 17302"),
    ]

    static func event(_ offset: Int64, _ name: String, _ payload: String) -> SentinelEventRecord {
        SentinelEventRecord(unixMs: t0 + offset, master: "mymaster", name: name, payload: payload)
    }

    /// The SENTINEL EVENTS reply for `events`: [ms, master, name, payload] each.
    static func eventsReply(_ events: [SentinelEventRecord]) -> RESPValue {
        .array(events.map { .array([.integer($0.unixMs), bulk($0.master), bulk($0.name), bulk($0.payload)]) })
    }

    /// A sentinel answering every status question for one master.
    static func sentinel(master: [(String, String)] = masterPairs, events: RESPValue? = nil) -> CannedSentinel {
        CannedSentinel([
            "SENTINEL MASTERS": .array([flat(master)]),
            "SENTINEL MASTER mymaster": flat(master),
            "SENTINEL MYID": bulk("ae36bb173a8bb3d81cb6f2e3a227783805a91f6f"),
            "INFO sentinel": bulk("# Sentinel\r\nsentinel_masters:1\r\nsentinel_tilt:0\r\nsentinel_tilt_since_seconds:-1\r\n"),
            "SENTINEL REPLICAS mymaster": .array([flat(replicaPairs())]),
            "SENTINEL SENTINELS mymaster": .array([
                flat(sentinelPairs(port: "27303", runid: peerA)), flat(sentinelPairs(port: "27302", runid: peerB)),
            ]),
            "SENTINEL CKQUORUM mymaster": .simple("OK 3 usable Sentinels. Quorum and failover authorization can be reached"),
            "SENTINEL INFO-CACHE mymaster": infoCache(masterOffset: 1000),
            "SENTINEL EVENTS mymaster 50": events ?? eventsReply(leaderEvents),
            "SENTINEL MASTER nope": .error("ERR No such master with that name"),
            "SENTINEL CKQUORUM nope": .error("ERR No such master with that name"),
            "SENTINEL FAILOVER nope": .error("ERR No such master with that name"),
            "SENTINEL FAILOVER mymaster": .simple("OK"),
            "SENTINEL RESET *": .integer(1),
        ])
    }
}

/// Answers commands from a table keyed by the space-joined command; unknown
/// commands get redis-sentinel's unknown-subcommand error.
final class CannedSentinel: SentinelCalling {
    var replies: [String: RESPValue]
    private(set) var calls: [[String]] = []

    init(_ replies: [String: RESPValue]) { self.replies = replies }

    func call(_ arguments: [String]) throws(SentinelCLIFailure) -> RESPValue {
        calls.append(arguments)
        let subcommand = arguments.dropFirst().first ?? ""
        return replies[arguments.joined(separator: " ")]
            ?? .error("ERR unknown subcommand '\(subcommand)'. Try SENTINEL HELP.")
    }
}

/// Collects what a runner prints.
final class CapturedOutput {
    var out = ""
    var err = ""
    var sink: SentinelOutput {
        SentinelOutput(standardOutput: { self.out += $0 }, standardError: { self.err += $0 })
    }
}
