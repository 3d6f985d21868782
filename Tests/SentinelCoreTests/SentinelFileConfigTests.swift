// Tests of SentinelFileConfig: parsing `sentinel …` lines with Redis 7.0's
// rules and messages, rendering them in Redis's rewrite order, and the round
// trip render → tokenize → parse.

import Config
import Testing
@testable import SentinelCore

private let path = "/etc/vigil/sentinel.conf"
private let id1 = "0123456789abcdef0123456789abcdef01234567"
private let id2 = "fedcba9876543210fedcba9876543210fedcba98"
private let id3 = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"

/// Splits `text` into ConfigLines as the loader does (1-based numbers,
/// comments and blank lines skipped, directive name lowercased).
private func configLines(_ text: String) -> [ConfigLine] {
    var out: [ConfigLine] = []
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        guard var words = try? ConfigTokenizer.split(raw), let first = words.first, !first.hasPrefix("#") else {
            continue
        }
        words[0] = first.lowercased()
        out.append(ConfigLine(source: .file(path), number: i + 1, text: String(raw), words: words))
    }
    return out
}

private func parse(_ text: String) throws(ConfigError) -> SentinelFileConfig {
    try SentinelFileConfig.parse(configLines(text))
}

private func parseError(_ text: String) -> ConfigError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

/// lines() → text → tokenize → parse. Every rendered line must tokenize.
private func reparsed(_ config: SentinelFileConfig) throws -> SentinelFileConfig {
    let lines = config.lines()
    for line in lines {
        #expect(line.hasPrefix("sentinel "))
        #expect(throws: Never.self) { _ = try ConfigTokenizer.split(line) }
    }
    return try parse(lines.joined(separator: "\n"))
}

private let monitorM = "sentinel monitor m 127.0.0.1 6379 2\n"

@Suite struct SentinelFileConfigTests {
    // MARK: - Parsing

    @Test func parsesARedisWrittenFile() throws {
        let config = try parse("""
            port 26379
            # comment
            sentinel myid \(id1)
            sentinel deny-scripts-reconfig yes
            sentinel monitor mymaster 127.0.0.1 6379 2
            sentinel down-after-milliseconds mymaster 5000
            sentinel failover-timeout mymaster 60000
            sentinel parallel-syncs mymaster 2
            sentinel auth-pass mymaster "s3cret pass"
            sentinel auth-user mymaster alice
            sentinel master-reboot-down-after-period mymaster 1000
            sentinel config-epoch mymaster 3
            sentinel leader-epoch mymaster 4
            sentinel known-replica mymaster 127.0.0.1 6380
            sentinel known-slave mymaster 127.0.0.1 6381
            sentinel known-sentinel mymaster 127.0.0.1 26380 \(id2)
            sentinel rename-command mymaster CONFIG MYCONFIG
            sentinel current-epoch 4
            sentinel announce-ip "10.1.1.1"
            sentinel announce-port 26000
            sentinel sentinel-user sent
            sentinel sentinel-pass "p w"
            """)
        let master = MasterFileConfig(
            name: "mymaster", host: "127.0.0.1", port: 6379, quorum: 2, downAfterMilliseconds: 5000,
            failoverTimeout: 60000, parallelSyncs: 2, authPass: "s3cret pass", authUser: "alice",
            configEpoch: 3, leaderEpoch: 4, masterRebootDownAfterPeriod: 1000,
            knownReplicas: [.init(host: "127.0.0.1", port: 6380), .init(host: "127.0.0.1", port: 6381)],
            knownSentinels: [.init(host: "127.0.0.1", port: 26380, runID: id2)],
            renamedCommands: ["config": "MYCONFIG"])
        #expect(config == SentinelFileConfig(
            myID: id1, currentEpoch: 4, announceIP: "10.1.1.1", announcePort: 26000, sentinelUser: "sent",
            sentinelPass: "p w", masters: [master]))
    }

    @Test func defaultsMatchRedis() throws {
        let config = try parse(monitorM)
        #expect(config == SentinelFileConfig(masters: [MasterFileConfig(name: "m", host: "127.0.0.1", port: 6379, quorum: 2)]))
        let m = try #require(config.master(named: "m"))
        #expect(m.downAfterMilliseconds == 30000 && m.failoverTimeout == 180000 && m.parallelSyncs == 1)
        #expect(config.denyScriptsReconfig && !config.resolveHostnames && !config.announceHostnames)
    }

    @Test func mastersKeepFileOrder() throws {
        let config = try parse("sentinel monitor b ::1 1 1\nsentinel monitor a 10.0.0.1 2 1\nsentinel monitor c 10.0.0.2 3 1")
        #expect(config.masters.map(\.name) == ["b", "a", "c"])
    }

    @Test func perMasterDirectivesMayPrecedeTheirMonitorLineAsInRedis7() throws {
        let config = try parse("sentinel down-after-milliseconds m 1000\nsentinel known-replica m 10.0.0.2 6380\n" + monitorM)
        #expect(config.masters.first?.downAfterMilliseconds == 1000)
        #expect(config.masters.first?.knownReplicas == [.init(host: "10.0.0.2", port: 6380)])
    }

    @Test func resolveHostnamesAppliesWhereverItIsWritten() throws {
        let config = try parse("sentinel monitor m redis-a.local 6379 2\nsentinel resolve-hostnames yes")
        #expect(config.masters.first?.host == "redis-a.local" && config.resolveHostnames)
    }

    @Test func subcommandsAndYesNoAreCaseInsensitive() throws {
        let config = try parse("SENTINEL MONITOR m 127.0.0.1 6379 2\nsentinel Down-After-Milliseconds m 7\nsentinel resolve-hostnames YES")
        #expect(config.masters.first?.downAfterMilliseconds == 7 && config.resolveHostnames)
    }

    @Test func masterNamesAreCaseSensitive() throws {
        #expect(parseError(monitorM + "sentinel auth-pass M x")?.reason == "No such master with specified name.")
        #expect(try parse(monitorM + "sentinel monitor M 127.0.0.1 6380 1").masters.count == 2)
    }

    @Test func currentEpochIsTheLargestAndCoversConfigEpochs() throws {
        #expect(try parse("sentinel current-epoch 9\nsentinel current-epoch 4").currentEpoch == 9)
        #expect(try parse(monitorM + "sentinel config-epoch m 12\nsentinel current-epoch 3").currentEpoch == 12)
        #expect(try parse("sentinel current-epoch 9223372036854775807").currentEpoch == UInt64(Int64.max))
        #expect(throws: ConfigError.self) { try parse("sentinel current-epoch 9223372036854775808") }
    }

    @Test func laterScalarLinesWin() throws {
        let config = try parse(monitorM + "sentinel auth-pass m a\nsentinel auth-pass m b\nsentinel myid \(id1)\nsentinel myid \(id2)")
        #expect(config.masters.first?.authPass == "b" && config.myID == id2)
    }

    @Test func emptyValuesMeanUnset() throws {
        let config = try parse(monitorM + """
            sentinel announce-ip ""
            sentinel announce-port 0
            sentinel sentinel-user ""
            sentinel sentinel-pass ''
            sentinel auth-pass m ""
            sentinel auth-user m ""
            """)
        #expect(config == (try parse(monitorM)))
    }

    @Test func oldKnownSentinelFormWithoutRunIDIsIgnored() throws {
        #expect(try parse(monitorM + "sentinel known-sentinel nosuch 10.0.0.3 26379") == (try parse(monitorM)))
    }

    @Test func renamedCommandKeysAreLowercased() throws {
        let config = try parse(monitorM + "sentinel rename-command m SlaveOf My-SlaveOf")
        #expect(config.masters.first?.renamedCommands == ["slaveof": "My-SlaveOf"])
    }

    @Test func otherDirectivesAndBareSentinelAreSkipped() throws {
        let lines = [ConfigLine(source: .commandLine, number: 1, text: "sentinel", words: ["sentinel"]),
                     ConfigLine(source: .commandLine, number: 2, text: "port 1", words: ["port", "1"]),
                     ConfigLine(source: .commandLine, number: 3, text: "", words: [])]
        #expect(try SentinelFileConfig.parse(lines) == SentinelFileConfig())
    }

    @Test func ipv6AndHostnamesAsAddresses() throws {
        let config = try parse("sentinel monitor m ::1 6379 2\nsentinel known-replica m fe80::1 6380\nsentinel known-sentinel m 2001:db8::5 26379 \(id1)")
        #expect(config.masters.first?.host == "::1")
        #expect(config.masters.first?.knownSentinels == [.init(host: "2001:db8::5", port: 26379, runID: id1)])
    }

    @Test(arguments: [("127.0.0.1", false, true), ("::1", false, true), ("fe80::1%eth0", false, false),
                      ("localhost", false, false), ("localhost", true, true), ("", true, false),
                      ("a b", true, false), ("a,b", true, false), ("1.2.3.4\u{0}", false, false)])
    func instanceHostValidationMatchesTheParser(host: String, resolve: Bool, valid: Bool) {
        #expect(SentinelFileConfig.isValidInstanceHost(host, resolveHostnames: resolve) == valid)
    }

    @Test func masterNameValidation() {
        #expect(SentinelFileConfig.isValidMasterName("my-master_1.é"))
        #expect(!SentinelFileConfig.isValidMasterName(""))
        #expect(!SentinelFileConfig.isValidMasterName("a b"))
        #expect(!SentinelFileConfig.isValidMasterName("a,b"))
        #expect(!SentinelFileConfig.isValidMasterName("a\tb"))
    }

    // MARK: - Errors

    @Test(arguments: [
        ("sentinel monitor m 127.0.0.1 6379 0", 1, "Quorum must be 1 or greater."),
        ("sentinel monitor m 127.0.0.1 6379 -2", 1, "Quorum must be 1 or greater."),
        ("sentinel monitor m 127.0.0.1 6379 two", 1, "argument couldn't be parsed into an integer"),
        ("sentinel monitor m 127.0.0.1 6379 99999999999", 1, "Quorum must be at most 2147483647."),
        ("sentinel monitor m 127.0.0.1 0 2", 1, "Invalid port number."),
        ("sentinel monitor m 127.0.0.1 65536 2", 1, "Invalid port number."),
        ("sentinel monitor m 127.0.0.1 http 2", 1, "Invalid port number."),
        ("sentinel monitor m localhost 6379 2", 1, "Can't resolve instance hostname."),
        ("sentinel monitor m 127.0.0.256 6379 2", 1, "Can't resolve instance hostname."),
        ("sentinel monitor m \"\" 6379 2", 1, "Can't resolve instance hostname."),
        ("sentinel monitor m 127.0.0.1 6379", 1,
         "Wrong number of arguments for 'sentinel monitor' (expected: sentinel monitor <master-name> <ip> <port> <quorum>)"),
        ("sentinel monitor a,b 127.0.0.1 6379 2", 1,
         "Invalid master name: it must not be empty or contain blanks, control characters or ','."),
        ("sentinel monitor \"a b\" 127.0.0.1 6379 2", 1,
         "Invalid master name: it must not be empty or contain blanks, control characters or ','."),
        ("sentinel monitor \"\" 127.0.0.1 6379 2", 1,
         "Invalid master name: it must not be empty or contain blanks, control characters or ','."),
        (monitorM + "sentinel monitor m 10.0.0.9 6379 2", 2, "Duplicate master name."),
        (monitorM + "sentinel down-after-milliseconds other 1000", 2, "No such master with specified name."),
        (monitorM + "sentinel down-after-milliseconds m 0", 2, "negative or zero time parameter."),
        (monitorM + "sentinel down-after-milliseconds m -5", 2, "negative or zero time parameter."),
        (monitorM + "sentinel down-after-milliseconds m 1s", 2, "argument couldn't be parsed into an integer"),
        (monitorM + "sentinel down-after-milliseconds m 3000000000", 2,
         "time parameter out of range (at most 2147483647 milliseconds)."),
        (monitorM + "sentinel failover-timeout m 0", 2, "negative or zero time parameter."),
        (monitorM + "sentinel failover-timeout m", 2,
         "Wrong number of arguments for 'sentinel failover-timeout' (expected: sentinel failover-timeout <master-name> <milliseconds>)"),
        (monitorM + "sentinel master-reboot-down-after-period m -1", 2, "negative time parameter."),
        (monitorM + "sentinel parallel-syncs m 0", 2, "parallel-syncs must be between 1 and 2147483647."),
        (monitorM + "sentinel config-epoch m -1", 2, "Invalid epoch: it must be a decimal integer between 0 and 9223372036854775807."),
        (monitorM + "sentinel leader-epoch m 18446744073709551616", 2,
         "Invalid epoch: it must be a decimal integer between 0 and 9223372036854775807."),
        ("sentinel current-epoch x", 1, "Invalid epoch: it must be a decimal integer between 0 and 9223372036854775807."),
        ("sentinel myid 0123", 1, "Malformed Sentinel id in myid option."),
        ("sentinel myid \(id1.uppercased())", 1, "Malformed Sentinel id in myid option."),
        (monitorM + "sentinel known-replica m 10.0.0.2 6380\nsentinel known-replica m 10.0.0.2 6380", 3,
         "Duplicate hostname and port for replica."),
        (monitorM + "sentinel known-replica m 10.0.0.2 0", 2, "Invalid port number."),
        (monitorM + "sentinel known-replica m replica-1 6380", 2, "Can't resolve instance hostname."),
        (monitorM + "sentinel known-sentinel m 10.0.0.3 26379 xyz", 2, "Malformed Sentinel id in known-sentinel option."),
        (monitorM + "sentinel known-sentinel m 10.0.0.3 26379 \(id1)\nsentinel known-sentinel m 10.0.0.4 26379 \(id1)", 3,
         "Duplicate runid for sentinel."),
        (monitorM + "sentinel rename-command m config a\nsentinel rename-command m CONFIG b", 3,
         "Same command renamed multiple times with rename-command."),
        (monitorM + "sentinel rename-command m config \"\"", 2, "rename-command needs non-empty command names."),
        ("sentinel announce-port 70000", 1, "Invalid port number."),
        ("sentinel announce-port -1", 1, "Invalid port number."),
        ("sentinel announce-port p", 1, "argument couldn't be parsed into an integer"),
        ("sentinel announce-ip a,b", 1, "announce-ip must not contain blanks, control characters or ','."),
        ("sentinel resolve-hostnames maybe", 1, "Please specify yes or no for the resolve-hostnames option."),
        ("sentinel announce-hostnames 1", 1, "Please specify yes or no for the announce-hostnames option."),
        ("sentinel deny-scripts-reconfig x", 1, "Please specify yes or no for the deny-scripts-reconfig options."),
        ("sentinel sentinel-pass a b", 1,
         "Wrong number of arguments for 'sentinel sentinel-pass' (expected: sentinel sentinel-pass <password>)"),
        (monitorM + "sentinel notification-script m /bin/notify.sh", 2,
         "scripts are not supported by Vigil: remove the 'sentinel notification-script' line."),
        (monitorM + "sentinel client-reconfig-script m /bin/reconf.sh", 2,
         "scripts are not supported by Vigil: remove the 'sentinel client-reconfig-script' line."),
        ("sentinel bogus 1", 1, "Unrecognized sentinel configuration statement."),
        ("sentinel is-master-down-by-addr a b c d", 1, "Unrecognized sentinel configuration statement."),
    ] as [(String, Int, String)])
    func rejectsWithRedisReasonAndLine(text: String, line: Int, reason: String) {
        let error = parseError(text)
        #expect(error?.reason == reason)
        #expect(error?.line?.number == line)
    }

    @Test func errorsFollowRedisLoadingOrder() {
        let perMaster = "sentinel down-after-milliseconds nosuch 100"
        let badMonitor = "sentinel monitor m 127.0.0.1 6379 0"
        let badGlobal = "sentinel myid xyz"
        #expect(parseError([perMaster, badMonitor, badGlobal].joined(separator: "\n"))?.line?.number == 3)
        #expect(parseError([perMaster, badMonitor].joined(separator: "\n"))?.line?.number == 2)
        #expect(parseError(perMaster)?.line?.number == 1)
    }

    @Test func errorDescriptionNamesFileAndLine() {
        let error = parseError(monitorM + "sentinel parallel-syncs m x")
        #expect(error?.description == """
            *** FATAL CONFIG FILE ERROR (Vigil) ***
            Reading the configuration file, at line 2 in \(path)
            >>> 'sentinel parallel-syncs m x'
            argument couldn't be parsed into an integer
            """)
    }

    // MARK: - Rendering

    @Test func linesComeInRedisRewriteOrder() {
        let config = SentinelFileConfig(
            myID: id1, currentEpoch: 5, announceIP: "10.9.9.9", announcePort: 26000, resolveHostnames: true,
            announceHostnames: true, denyScriptsReconfig: false, sentinelUser: "su", sentinelPass: "sp",
            masters: [
                MasterFileConfig(name: "a", host: "h1", port: 6379, quorum: 2, downAfterMilliseconds: 5000,
                                 failoverTimeout: 60000, parallelSyncs: 3, authPass: "pw", authUser: "u",
                                 configEpoch: 5, leaderEpoch: 4, masterRebootDownAfterPeriod: 100,
                                 knownReplicas: [.init(host: "h2", port: 6380)],
                                 knownSentinels: [.init(host: "h3", port: 26379, runID: id2)],
                                 renamedCommands: ["slaveof": "so", "config": "cfg"]),
                MasterFileConfig(name: "b", host: "h4", port: 7000, quorum: 1),
            ])
        #expect(config.lines() == [
            "sentinel myid \(id1)",
            "sentinel deny-scripts-reconfig no",
            "sentinel resolve-hostnames yes",
            "sentinel announce-hostnames yes",
            "sentinel monitor a h1 6379 2",
            "sentinel down-after-milliseconds a 5000",
            "sentinel failover-timeout a 60000",
            "sentinel parallel-syncs a 3",
            "sentinel auth-pass a pw",
            "sentinel auth-user a u",
            "sentinel master-reboot-down-after-period a 100",
            "sentinel config-epoch a 5",
            "sentinel leader-epoch a 4",
            "sentinel known-replica a h2 6380",
            "sentinel known-sentinel a h3 26379 \(id2)",
            "sentinel rename-command a config cfg",
            "sentinel rename-command a slaveof so",
            "sentinel monitor b h4 7000 1",
            "sentinel config-epoch b 0",
            "sentinel leader-epoch b 0",
            "sentinel current-epoch 5",
            "sentinel announce-ip \"10.9.9.9\"",
            "sentinel announce-port 26000",
            "sentinel sentinel-user su",
            "sentinel sentinel-pass sp",
        ])
    }

    @Test func defaultsAndUnsetValuesAreOmitted() {
        #expect(SentinelFileConfig().lines() == ["sentinel current-epoch 0"])
        let config = SentinelFileConfig(announceIP: "", announcePort: 0, sentinelUser: "", sentinelPass: "",
                                        masters: [MasterFileConfig(name: "m", host: "::1", port: 1, quorum: 1, authPass: "")])
        #expect(config.lines() == ["sentinel monitor m ::1 1 1", "sentinel config-epoch m 0",
                                   "sentinel leader-epoch m 0", "sentinel current-epoch 0"])
    }

    @Test func wordsThatNeedItAreQuoted() {
        let config = SentinelFileConfig(masters: [MasterFileConfig(name: "m\"x", host: "::1", port: 1, quorum: 1,
                                                                   authPass: "a b\\c")])
        #expect(config.lines().contains(#"sentinel auth-pass "m\"x" "a b\\c""#))
    }

    // MARK: - Round trip

    @Test(arguments: [
        SentinelFileConfig(),
        SentinelFileConfig(myID: id1, currentEpoch: UInt64(Int64.max), masters: [
            MasterFileConfig(name: "mymaster", host: "127.0.0.1", port: 6379, quorum: 2,
                             configEpoch: UInt64(Int64.max), leaderEpoch: UInt64(Int64.max)),
        ]),
        SentinelFileConfig(myID: id3, currentEpoch: 12, announceIP: "203.0.113.7", announcePort: 1,
                           denyScriptsReconfig: false, sentinelUser: "sentinel user", sentinelPass: "pa'ss\"word", masters: [
            MasterFileConfig(name: "o'brien\"#1", host: "10.0.0.1", port: 65535, quorum: 2147483647,
                             downAfterMilliseconds: 1, failoverTimeout: 2147483647, parallelSyncs: 2147483647,
                             authPass: "with space", authUser: "tab\there",
                             configEpoch: 12, leaderEpoch: 11, masterRebootDownAfterPeriod: 2147483647,
                             knownReplicas: [.init(host: "10.0.0.2", port: 1), .init(host: "::ffff:10.0.0.3", port: 6380)],
                             knownSentinels: [.init(host: "10.0.0.4", port: 26379, runID: id1),
                                              .init(host: "fe80::2", port: 26380, runID: id2)],
                             renamedCommands: ["config": "\"quoted\"", "slaveof": "back\\slash", "ping": "é-üni"]),
            MasterFileConfig(name: "second", host: "::1", port: 7000, quorum: 1, authPass: "nl\nand\rcr\u{1}\u{7f}"),
        ]),
        SentinelFileConfig(currentEpoch: 3, resolveHostnames: true, announceHostnames: true, masters: [
            MasterFileConfig(name: "m", host: "redis-a.example.com", port: 6379, quorum: 2, configEpoch: 3,
                             knownReplicas: [.init(host: "redis-b.example.com", port: 6379)],
                             knownSentinels: [.init(host: "sentinel-c", port: 26379, runID: id3)]),
        ]),
        SentinelFileConfig(sentinelPass: "'", masters: [
            MasterFileConfig(name: "é", host: "1.2.3.4", port: 80, quorum: 3, authPass: "\\x41 \"\" ''"),
        ]),
    ])
    func renderedLinesParseBackToTheSameConfig(config: SentinelFileConfig) throws {
        #expect(try reparsed(config) == config)
    }

    @Test func randomLinesNeverTrapAndWhateverParsesRoundTrips() throws {
        var rng = Mix64(seed: 7)
        let vocabulary = [
            "monitor", "known-replica", "known-slave", "known-sentinel", "auth-pass", "auth-user", "config-epoch",
            "leader-epoch", "down-after-milliseconds", "failover-timeout", "parallel-syncs", "rename-command",
            "master-reboot-down-after-period", "current-epoch", "myid", "announce-ip", "announce-port",
            "resolve-hostnames", "announce-hostnames", "deny-scripts-reconfig", "sentinel-user", "sentinel-pass",
            "m", "m", "n", "127.0.0.1", "::1", "host", "6379", "0", "1", "2", "-1", "65536", "yes", "no",
            "99999999999999999999", "18446744073709551615", id1, id2, "\"a b\"", "''", "\"\\x00\"", "é", ",",
        ]
        var parsedCount = 0
        for _ in 0..<1_500 {
            let text = (0..<Int(rng.next() % 8)).map { _ in
                "sentinel " + (0..<Int(1 + rng.next() % 5)).map { _ in
                    vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
                }.joined(separator: " ")
            }.joined(separator: "\n")
            let lines = configLines(text)
            let config: SentinelFileConfig
            do {
                config = try SentinelFileConfig.parse(lines)
            } catch {
                let offending = try #require(error.line)
                #expect(lines.contains(offending))
                continue
            }
            parsedCount += 1
            #expect(try reparsed(config) == config, "\(text)")
        }
        #expect(parsedCount > 50)
    }
}

/// SplitMix64: a tiny deterministic generator for the fuzz loop.
private struct Mix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
