// Tests of loading: defaults, later lines win, includes (relative, nested,
// glob, cycles, depth), command-line overrides, stdin, sentinel mode.

import Testing
@testable import Config

@Suite struct LoaderTests {
    @Test func defaultsAreRedisDefaults() throws {
        let c = try load("")
        #expect(c.port == 6379)
        #expect(c.bind == ["*", "-::*"])
        #expect(c.protectedMode)
        #expect(c.saveRules == [SaveRule(seconds: 3600, changes: 1), SaveRule(seconds: 300, changes: 100),
                                SaveRule(seconds: 60, changes: 10000)])
        #expect(c.dbFilename == "dump.rdb")
        #expect(c.dir == "/work")
        #expect(c.replicaOf == nil)
        #expect(c.requirePass == nil)
        #expect(c.replBacklogSize == 1 << 20)
        #expect(c.clientOutputBufferLimits == .redisDefaults)
        #expect(c.databases == 16)
        #expect(c.logLevel == "notice")
        #expect(c.hz == 10)
        #expect(c.int("list-max-listpack-size") == -2)
        #expect(c.int("hash-max-listpack-entries") == 512)
        #expect(c.bytes("proto-max-bulk-len") == 512 << 20)
        #expect(c.bytes("client-query-buffer-limit") == 1 << 30)
        #expect(c.string("notify-keyspace-events") == "")
        #expect(c.configFilePath == mainPath)
    }

    @Test func sentinelModeHasSentinelDefaults() throws {
        let c = try load("", mode: .sentinel)
        #expect(c.port == 26379)
        #expect(!c.protectedMode)
    }

    @Test func laterLinesWin() throws {
        let c = try load("""
            port 7000
            # a comment
            port 7001

               port 7002
            """)
        #expect(c.port == 7002)
    }

    @Test func directiveNamesAreCaseInsensitiveAndAliasesWork() throws {
        let c = try load("""
            PORT 7000
            slaveof 10.0.0.1 6380
            slave-read-only no
            slave-priority 5
            slave-serve-stale-data no
            hash-max-ziplist-entries 64
            list-max-ziplist-size -3
            """)
        #expect(c.port == 7000)
        #expect(c.replicaOf == ReplicaOf(host: "10.0.0.1", port: 6380))
        #expect(!c.replicaReadOnly)
        #expect(c.replicaPriority == 5)
        #expect(!c.replicaServeStaleData)
        #expect(c.int("hash-max-listpack-entries") == 64)
        #expect(c.int("list-max-listpack-size") == -3)
    }

    @Test func crlfLinesAreAccepted() throws {
        let c = try load("port 7000\r\nrequirepass secret\r\n")
        #expect(c.port == 7000)
        #expect(c.requirePass == "secret")
    }

    @Test func saveLinesAccumulateAndEmptySaveDisables() throws {
        let c = try load("save 900 1\nsave 300 10\n")
        #expect(c.saveRules == [SaveRule(seconds: 900, changes: 1), SaveRule(seconds: 300, changes: 10)])
        let none = try load("save \"\"\n")
        #expect(none.saveRules.isEmpty)
        #expect(get(none, "save") == "")
        let multi = try load("save 900 1 300 10\n")
        #expect(get(multi, "save") == "900 1 300 10")
    }

    @Test func outputBufferLimitLinesChangeOnlyTheirClass() throws {
        let c = try load("""
            client-output-buffer-limit pubsub 64mb 16mb 90
            client-output-buffer-limit slave 1gb 512mb 120
            """)
        var expected = ClientOutputBufferLimits.redisDefaults
        expected.pubsub = ClientOutputBufferLimit(hardBytes: 64 << 20, softBytes: 16 << 20, softSeconds: 90)
        expected.replica = ClientOutputBufferLimit(hardBytes: 1 << 30, softBytes: 512 << 20, softSeconds: 120)
        #expect(c.clientOutputBufferLimits == expected)
    }

    @Test func valuesAreNormalised() throws {
        let c = try load("""
            loglevel WARNING
            maxmemory-policy AllKeys-LRU
            hz 100000
            notify-keyspace-events "EKx$g"
            appendonly No
            dir data
            """)
        #expect(c.logLevel == "warning")
        #expect(c.maxMemoryPolicy == "allkeys-lru")
        #expect(c.hz == 500)
        #expect(c.string("notify-keyspace-events") == "g$xKE")
        #expect(c.dir == "/work/data")
    }

    @Test func successiveRelativeDirsResolveLikeChdir() throws {
        let c = try load("dir /var/lib\ndir vigil\ndir ../other\n")
        #expect(c.dir == "/var/lib/other")
    }

    @Test func includeIsRelativeToTheIncludingFile() throws {
        let c = try load("include extra.conf\n", ["/etc/vigil/extra.conf": "port 7100\n"])
        #expect(c.port == 7100)
    }

    @Test func includeFallsBackToTheWorkingDirectory() throws {
        let c = try load("include local.conf\n", ["/work/local.conf": "port 7200\n"])
        #expect(c.port == 7200)
    }

    @Test func includeAppliesWhereItAppears() throws {
        let before = try load("include extra.conf\nport 7000\n", ["/etc/vigil/extra.conf": "port 7100\n"])
        #expect(before.port == 7000)
        let after = try load("port 7000\ninclude extra.conf\n", ["/etc/vigil/extra.conf": "port 7100\n"])
        #expect(after.port == 7100)
    }

    @Test func nestedIncludesResolveAgainstTheirOwnDirectory() throws {
        let c = try load("include conf.d/a.conf\n", [
            "/etc/vigil/conf.d/a.conf": "include sub/b.conf\nport 7001\n",
            "/etc/vigil/conf.d/sub/b.conf": "requirepass nested\n",
        ])
        #expect(c.port == 7001)
        #expect(c.requirePass == "nested")
    }

    @Test func globIncludesReadMatchesInSortedOrder() throws {
        let c = try load("include conf.d/*.conf\n", [
            "/etc/vigil/conf.d/20-port.conf": "port 7020\n",
            "/etc/vigil/conf.d/10-port.conf": "port 7010\nrequirepass ten\n",
            "/etc/vigil/conf.d/readme.txt": "garbage line\n",
        ])
        #expect(c.port == 7020)
        #expect(c.requirePass == "ten")
    }

    @Test func globIncludeWithoutMatchesIsIgnored() throws {
        let c = try load("include /etc/vigil/empty.d/*.conf\nport 7000\n")
        #expect(c.port == 7000)
    }

    @Test func includeCyclesAreReportedAtTheIncludeLine() throws {
        let error = try #require(loadError("port 1\ninclude a.conf\n", [
            "/etc/vigil/a.conf": "include b.conf\n",
            "/etc/vigil/b.conf": "\ninclude node.conf\n",
        ]))
        #expect(error.line?.source == .file("/etc/vigil/b.conf"))
        #expect(error.line?.number == 2)
        #expect(error.reason == "include cycle: /etc/vigil/node.conf -> /etc/vigil/a.conf -> /etc/vigil/b.conf -> /etc/vigil/node.conf")
    }

    @Test func selfIncludeIsACycle() throws {
        let error = try #require(loadError("include node.conf\n"))
        #expect(error.reason.hasPrefix("include cycle"))
    }

    @Test func includeDepthIsLimited() throws {
        // A chain of distinct files deeper than the limit (no cycle).
        var files: [String: String] = [:]
        for i in 0..<20 { files["/etc/vigil/d\(i).conf"] = "include d\(i + 1).conf\n" }
        files["/etc/vigil/d20.conf"] = "port 1\n"
        let error = try #require(loadError("include d0.conf\n", files))
        #expect(error.reason == "include nesting is deeper than \(ConfigLoader.maxIncludeDepth) levels")
    }

    @Test func sameFileMayBeIncludedTwice() throws {
        let c = try load("include x.conf\ninclude x.conf\n", ["/etc/vigil/x.conf": "save 60 1\n"])
        #expect(c.saveRules == [SaveRule(seconds: 60, changes: 1), SaveRule(seconds: 60, changes: 1)])
    }

    @Test func commandLineOverridesApplyAfterTheFile() throws {
        let c = try load("port 7000\nsave 900 1\nrequirepass fromfile\n",
                         overrides: ["--port", "6380", "--replicaof", "127.0.0.1", "6379", "--save", ""])
        #expect(c.port == 6380)
        #expect(c.replicaOf == ReplicaOf(host: "127.0.0.1", port: 6379))
        #expect(c.saveRules.isEmpty)
        #expect(c.requirePass == "fromfile")
    }

    @Test func firstCommandLineSaveReplacesTheFileRules() throws {
        let c = try load("save 900 1\n", overrides: ["--save", "60", "5", "--save", "30", "2"])
        #expect(c.saveRules == [SaveRule(seconds: 60, changes: 5), SaveRule(seconds: 30, changes: 2)])
    }

    @Test(arguments: [
        (["--port", "6380"], ["port \"6380\" "]),
        (["--save", ""], ["save \"\" "]),
        (["--save", "--port", "1"], ["save \"\"", "port \"1\" "]),
        (["--save"], ["save \"\""]),
        (["--port 6380", "--daemonize", "no"], ["port 6380 ", "daemonize \"no\" "]),
        (["--requirepass", "--weird"], ["requirepass \"--weird\" "]),
        (["--list-max-listpack-size", "-2"], ["list-max-listpack-size \"-2\" "]),
        (["--sentinel", "--port", "1"], ["sentinel ", "port \"1\" "]),
        (["--bind", "a b", "c"], ["bind \"a b\" \"c\" "]),
    ] as [([String], [String])])
    func commandLineOptionsBecomeLinesLikeRedis(options: [String], lines: [String]) {
        #expect(CommandLineOptions.lines(fromOptions: options, configFileGiven: true).lines == lines)
    }

    @Test func argumentsAreSplitIntoFileAndOptions() {
        let p = CommandLineOptions.parse(["node.conf", "--port", "1", "-"])
        #expect(p.configFile == "node.conf")
        #expect(p.lines == ["port \"1\" "])
        #expect(p.readStandardInput)
        let q = CommandLineOptions.parse(["-", "--port", "1"])
        #expect(q.configFile == nil)
        #expect(q.readStandardInput)
        let r = CommandLineOptions.parse(["--port", "-", "--x"])
        #expect(!r.readStandardInput)
        #expect(r.lines == ["port \"-\" ", "x "])
    }

    @Test func standardInputIsReadAfterTheFileAndBeforeOptions() throws {
        let fs = fileSystem(main: "port 7000\nrequirepass a\n", stdin: "port 7001\nrequirepass b\n")
        let c = try ConfigStore.load(arguments: [mainPath, "--requirepass", "c", "-"], mode: .server,
                                     files: fs.access)
        #expect(c.port == 7001)
        #expect(c.requirePass == "c")
    }

    @Test func configWithoutFileUsesDefaultsAndOptions() throws {
        let fs = fileSystem()
        let c = try ConfigStore.load(path: nil, overrides: ["--port", "1234"], mode: .server, files: fs.access)
        #expect(c.port == 1234)
        #expect(c.configFilePath == nil)
    }

    @Test func relativeConfigPathIsMadeAbsolute() throws {
        let fs = fileSystem(["/work/conf/n.conf": "port 1\n"])
        let c = try ConfigStore.load(path: "conf/../conf/n.conf", overrides: [], mode: .server, files: fs.access)
        #expect(c.configFilePath == "/work/conf/n.conf")
    }

    @Test func sentinelLinesArePassedThroughWithTheirLocation() throws {
        let c = try load("""
            port 26380
            sentinel monitor mymaster 127.0.0.1 6379 2
            include more.conf
            sentinel down-after-milliseconds mymaster 5000
            """, ["/etc/vigil/more.conf": "sentinel auth-pass mymaster \"p w\"\n"], mode: .sentinel)
        #expect(c.port == 26380)
        #expect(c.sentinelLines.map(\.words) == [
            ["sentinel", "monitor", "mymaster", "127.0.0.1", "6379", "2"],
            ["sentinel", "auth-pass", "mymaster", "p w"],
            ["sentinel", "down-after-milliseconds", "mymaster", "5000"],
        ])
        #expect(c.sentinelLines[1].source == .file("/etc/vigil/more.conf"))
        #expect(c.sentinelLines[2].number == 4)
        #expect(Array(c.sentinelLines[0].arguments) == ["monitor", "mymaster", "127.0.0.1", "6379", "2"])
    }

    @Test func renameCommandAndUserLinesAreCollected() throws {
        let c = try load("rename-command FLUSHALL \"\"\nuser default on nopass ~* &* +@all\n")
        #expect(c.renamedCommands.map(\.words) == [["rename-command", "FLUSHALL", ""]])
        #expect(c.userLines.count == 1)
    }

    @Test func obsoleteDirectivesAreIgnoredLikeRedis() throws {
        _ = try load("list-max-ziplist-entries 512\nlist-max-ziplist-value 64\nlua-replicate-commands yes\n")
    }

    @Test func stockRedisConfDirectivesLoad() throws {
        let c = try load("""
            bind 127.0.0.1 -::1
            protected-mode yes
            port 6379
            tcp-backlog 511
            timeout 0
            tcp-keepalive 300
            daemonize no
            pidfile /var/run/redis_6379.pid
            loglevel notice
            logfile ""
            databases 16
            always-show-logo no
            set-proc-title yes
            proc-title-template "{title} {listen-addr} {server-mode}"
            stop-writes-on-bgsave-error yes
            rdbcompression yes
            rdbchecksum yes
            dbfilename dump.rdb
            rdb-del-sync-files no
            dir ./
            replica-serve-stale-data yes
            replica-read-only yes
            repl-diskless-sync yes
            repl-diskless-sync-delay 5
            repl-diskless-sync-max-replicas 0
            repl-diskless-load disabled
            repl-disable-tcp-nodelay no
            replica-priority 100
            acllog-max-len 128
            lazyfree-lazy-eviction no
            lazyfree-lazy-expire no
            lazyfree-lazy-server-del no
            replica-lazy-flush no
            lazyfree-lazy-user-del no
            lazyfree-lazy-user-flush no
            oom-score-adj no
            oom-score-adj-values 0 200 800
            disable-thp yes
            appendonly no
            appendfilename "appendonly.aof"
            appenddirname "appendonlydir"
            appendfsync everysec
            no-appendfsync-on-rewrite no
            auto-aof-rewrite-percentage 100
            auto-aof-rewrite-min-size 64mb
            aof-load-truncated yes
            aof-use-rdb-preamble yes
            aof-timestamp-enabled no
            slowlog-log-slower-than 10000
            slowlog-max-len 128
            latency-monitor-threshold 0
            notify-keyspace-events ""
            hash-max-listpack-entries 128
            hash-max-listpack-value 64
            list-max-listpack-size -2
            list-compress-depth 0
            set-max-intset-entries 512
            zset-max-listpack-entries 128
            zset-max-listpack-value 64
            hll-sparse-max-bytes 3000
            stream-node-max-bytes 4096
            stream-node-max-entries 100
            activerehashing yes
            client-output-buffer-limit normal 0 0 0
            client-output-buffer-limit replica 256mb 64mb 60
            client-output-buffer-limit pubsub 32mb 8mb 60
            hz 10
            dynamic-hz yes
            aof-rewrite-incremental-fsync yes
            rdb-save-incremental-fsync yes
            jemalloc-bg-thread yes
            latency-tracking-info-percentiles 50 99 99.9
            """)
        #expect(c.bind == ["127.0.0.1", "-::1"])
        #expect(c.pidFile == "/var/run/redis_6379.pid")
        #expect(c.dir == "/work")
        #expect(c.clientOutputBufferLimits == .redisDefaults)
    }
}
