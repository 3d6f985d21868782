// CONFIG GET patterns and value formatting; CONFIG SET validation,
// atomicity and Redis 7.0 error texts.

import Testing
@testable import Config

@Suite struct GetTests {
    @Test func valuesAreFormattedLikeRedis() throws {
        let c = try load("""
            maxmemory 100mb
            save 3600 1 300 100
            requirepass ""
            replicaof 10.0.0.1 6380
            bind 127.0.0.1 -::1
            """)
        #expect(get(c, "maxmemory") == "104857600")
        #expect(get(c, "save") == "3600 1 300 100")
        #expect(get(c, "requirepass") == "")
        #expect(get(c, "replicaof") == "10.0.0.1 6380")
        #expect(get(c, "slaveof") == "10.0.0.1 6380")
        #expect(get(c, "bind") == "127.0.0.1 -::1")
        #expect(get(c, "appendonly") == "no")
        #expect(get(c, "repl-backlog-size") == "1048576")
        #expect(get(c, "client-output-buffer-limit")
                == "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
        #expect(get(c, "latency-tracking-info-percentiles") == "50 99 99.9")
        #expect(get(c, "oom-score-adj-values") == "0 200 800")
        #expect(get(c, "dir") == "/work")
    }

    @Test func exactNamesAreCaseInsensitiveAndEchoed() throws {
        let c = try load("")
        #expect(c.get(pattern: "PORT").map(\.name) == ["PORT"])
        #expect(c.get(pattern: "no-such-thing").isEmpty)
    }

    @Test func patternsMatchNamesAndAliases() throws {
        let c = try load("")
        let names = c.get(pattern: "*slave*").map(\.name)
        #expect(names.contains("slaveof"))
        #expect(names.contains("slave-read-only"))
        #expect(!names.contains("replica-read-only"))
        #expect(Set(c.get(pattern: "repl-*").map(\.name)).isSuperset(of: ["repl-timeout", "repl-backlog-size"]))
        #expect(c.get(pattern: "h?").map(\.name) == ["hz"])
        #expect(c.get(pattern: "MAXMEMORY*").map(\.name).contains("maxmemory-policy"))
    }

    @Test func everyDirectiveIsReturnedOnceByStar() throws {
        let c = try load("")
        let all = c.get(pattern: "*").map(\.name)
        #expect(all.count == Set(all).count)
        #expect(all.count == DirectiveRegistry.allNames.count)
    }

    @Test func severalPatternsAreDeduplicated() throws {
        let c = try load("")
        let r = c.get(patterns: ["port", "po*", "port"])
        #expect(r.map(\.name) == ["port"])
    }
}

@Suite struct SetTests {
    @Test func setChangesValuesAndReportsWhatChanged() throws {
        var c = try load("port 7000\n")
        let changed = try c.set([("maxmemory", "1gb"), ("port", "7000"), ("slave-priority", "3")])
        #expect(changed == ["maxmemory", "replica-priority"])
        #expect(c.maxMemory == 1 << 30)
        #expect(c.replicaPriority == 3)
    }

    @Test func setIsAllOrNothing() throws {
        var c = try load("")
        let before = c.get(pattern: "*").map(\.value)
        #expect(throws: ConfigError.setFailed(argument: "timeout",
                                              reason: "argument couldn't be parsed into an integer")) {
            try c.set([("maxmemory", "1gb"), ("timeout", "soon"), ("port", "1")])
        }
        #expect(c.get(pattern: "*").map(\.value) == before)
    }

    @Test(arguments: [
        ([("nosuch", "1")], "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
        ([("daemonize", "yes")], "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
        ([("replicaof", "a 1")], "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config"),
        ([("databases", "2")], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        ([("port", "1"), ("PORT", "2")], "ERR CONFIG SET failed (possibly related to argument 'PORT') - duplicate parameter"),
        ([("replica-priority", "1"), ("slave-priority", "2")], "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - duplicate parameter"),
        ([("port", "99999")], "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"),
        ([("appendonly", "yes")], "ERR CONFIG SET failed (possibly related to argument 'appendonly') - appendonly yes is not supported yet: Vigil persists with RDB snapshots only"),
        ([("save", "100")], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        ([("save", "100  1")], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        ([("dir", "/tmp")], "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"),
        ([("dbfilename", "x.rdb")], "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"),
        ([("daemonize", "yes"), ("nosuch", "1")], "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
        ([("nosuch", "1"), ("daemonize", "yes")], "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
    ] as [([(String, String)], String)])
    func setErrorsUseRedisTexts(pairs: [(String, String)], message: String) throws {
        var c = try load("")
        do {
            try c.set(pairs)
            Issue.record("expected \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func protectedConfigsFollowEnableProtectedConfigs() throws {
        var yes = try load("enable-protected-configs yes\n")
        try yes.set([("dir", "/data"), ("dbfilename", "x.rdb")])
        #expect(yes.dir == "/data")
        #expect(yes.dbFilename == "x.rdb")
        var local = try load("enable-protected-configs local\n")
        #expect(throws: ConfigError.self) { try local.set([("dir", "/data")], isLocalClient: false) }
        try local.set([("dir", "data")], isLocalClient: true)
        #expect(local.dir == "/work/data")
    }

    @Test func multiArgumentValuesAreSplitOnSpaces() throws {
        var c = try load("")
        try c.set([("save", "900 1 60 100")])
        #expect(c.saveRules == [SaveRule(seconds: 900, changes: 1), SaveRule(seconds: 60, changes: 100)])
        try c.set([("save", "")])
        #expect(c.saveRules.isEmpty)
        try c.set([("bind", "127.0.0.1 ::1")])
        #expect(c.bind == ["127.0.0.1", "::1"])
        try c.set([("client-output-buffer-limit", "normal 1mb 512kb 10 pubsub 0 0 0")])
        #expect(c.clientOutputBufferLimits.normal
                == ClientOutputBufferLimit(hardBytes: 1 << 20, softBytes: 512 << 10, softSeconds: 10))
        #expect(c.clientOutputBufferLimits.pubsub == ClientOutputBufferLimit(hardBytes: 0, softBytes: 0, softSeconds: 0))
        #expect(c.clientOutputBufferLimits.replica == ClientOutputBufferLimits.redisDefaults.replica)
    }

    @Test func emptyStringUnsetsNullableStrings() throws {
        var c = try load("requirepass secret\n")
        #expect(c.requirePass == "secret")
        let changed = try c.set([("requirepass", "")])
        #expect(changed == ["requirepass"])
        #expect(c.requirePass == nil)
    }

    @Test func replicaOfIsChangedThroughItsOwnMethod() throws {
        var c = try load("")
        let first = c.setReplicaOf(ReplicaOf(host: "h", port: 1))
        let again = c.setReplicaOf(ReplicaOf(host: "h", port: 1))
        #expect(first && !again)
        #expect(get(c, "replicaof") == "h 1")
        let cleared = c.setReplicaOf(nil)
        #expect(cleared)
        #expect(get(c, "replicaof") == "")
    }

    @Test func memorySettingsAcceptUnits() throws {
        var c = try load("")
        try c.set([("maxmemory", "2GB"), ("repl-backlog-size", "10k"), ("proto-max-bulk-len", "1mb")])
        #expect(c.maxMemory == 2 << 30)
        #expect(c.replBacklogSize == 10_000)
        #expect(c.protoMaxBulkLen == 1 << 20)
        #expect(throws: ConfigError.self) { try c.set([("proto-max-bulk-len", "1000")]) }
    }

    @Test func directiveInfoDescribesTheTable() {
        let info = ConfigStore.directive(named: "SLAVEOF")
        #expect(info?.name == "replicaof")
        #expect(info?.isMutable == false)
        #expect(ConfigStore.directive(named: "requirepass")?.isSensitive == true)
        #expect(ConfigStore.directive(named: "lazyfree-lazy-expire")?.hasEffect == false)
        #expect(ConfigStore.directive(named: "nope") == nil)
    }
}
