// Every start-up error names the file, the line number, the line text and a
// Redis-worded reason; unsupported values are refused with a clear message.

import Testing
@testable import Config

@Suite struct ErrorReportingTests {
    @Test(arguments: [
        ("port \"abc\"", "argument couldn't be parsed into an integer"),
        ("port 70000", "argument must be between 0 and 65535 inclusive"),
        ("port -1", "argument must be between 0 and 65535 inclusive"),
        ("port 1 2", "wrong number of arguments"),
        ("port", "wrong number of arguments"),
        ("daemonize maybe", "argument must be 'yes' or 'no'"),
        ("maxmemory 12qb", "argument must be a memory value"),
        ("maxmemory -5", "argument must be a memory value"),
        ("repl-backlog-size 0", "argument must be between 1 and 9223372036854775807 inclusive"),
        ("loglevel loud", "argument must be one of the following: debug, verbose, notice, warning, nothing"),
        ("save 900", "Invalid save parameters"),
        ("save 0 1", "Invalid save parameters"),
        ("save 10 -1", "Invalid save parameters"),
        ("save abc 1", "Invalid save parameters"),
        ("client-output-buffer-limit normal 0 0", "Wrong number of arguments in buffer limit configuration."),
        ("client-output-buffer-limit master 0 0 0", "Invalid client class specified in buffer limit configuration."),
        ("client-output-buffer-limit normal 1x 0 0",
         "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
        ("client-output-buffer-limit normal 0 0 -1",
         "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
        ("replicaof 127.0.0.1", "wrong number of arguments"),
        ("replicaof 127.0.0.1 port", "Invalid master port"),
        ("replicaof 127.0.0.1 65536", "Invalid master port"),
        ("bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "Too many bind addresses specified."),
        ("notify-keyspace-events KQ", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
        ("dbfilename /tmp/dump.rdb", "dbfilename can't be a path, just a filename"),
        ("appendfilename \"\"", "appendfilename can't be empty"),
        ("oom-score-adj-values 0 200", "wrong number of arguments"),
        ("oom-score-adj-values 0 200 3000", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."),
        ("latency-tracking-info-percentiles 50 101", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
        ("no-such-directive yes", "Bad directive or wrong number of arguments"),
        ("include", "Bad directive or wrong number of arguments"),
        ("include a b", "Bad directive or wrong number of arguments"),
        ("rename-command FLUSHALL", "Bad directive or wrong number of arguments"),
        ("requirepass \"unbalanced", "Unbalanced quotes in configuration line"),
        ("requirepass \"glued\"x", "Unbalanced quotes in configuration line"),
        ("sentinel monitor m 127.0.0.1 6379 2", "sentinel directive while not in sentinel mode"),
        ("loadmodule /x.so", "loadmodule is not supported: Vigil has no module API"),
        ("appendonly yes", "appendonly yes is not supported yet: Vigil persists with RDB snapshots only"),
        ("unixsocket /tmp/vigil.sock", "unixsocket is not supported yet: Vigil listens on TCP only"),
        ("cluster-enabled yes", "cluster-enabled yes is not supported: Vigil does not implement Redis Cluster"),
    ] as [(String, String)])
    func badLinesReportFileLineTextAndReason(badLine: String, reason: String) throws {
        let error = try #require(loadError("# header\nport 6379\n\n  \(badLine)  \nport 1\n"))
        let line = try #require(error.line)
        #expect(line.source == .file(mainPath))
        #expect(line.number == 4)
        #expect(line.text == badLine)
        #expect(error.reason == reason)
        #expect(error.description == """
            *** FATAL CONFIG FILE ERROR (Vigil) ***
            Reading the configuration file, at line 4 in \(mainPath)
            >>> '\(badLine)'
            \(reason)
            """)
    }

    @Test func errorsInIncludedFilesNameTheIncludedFile() throws {
        let error = try #require(loadError("port 1\ninclude extra.conf\n",
                                           ["/etc/vigil/extra.conf": "\n\ntimeout forever\n"]))
        #expect(error.line?.source == .file("/etc/vigil/extra.conf"))
        #expect(error.line?.number == 3)
        #expect(error.description.contains("at line 3 in /etc/vigil/extra.conf"))
        #expect(error.reason == "argument couldn't be parsed into an integer")
    }

    @Test func errorsInCommandLineOptionsNameTheOption() throws {
        let error = try #require(loadError("port 1\n", overrides: ["--port", "7000", "--timeout", "x"]))
        #expect(error.line?.source == .commandLine)
        #expect(error.line?.number == 2)
        #expect(error.description == """
            *** FATAL CONFIG FILE ERROR (Vigil) ***
            Reading the configuration file, at line 2 in <command line>
            >>> 'timeout "x"'
            argument couldn't be parsed into an integer
            """)
    }

    @Test func missingIncludeIsReportedAtTheIncludeLine() throws {
        let error = try #require(loadError("\ninclude missing.conf\n"))
        #expect(error.line?.number == 2)
        #expect(error.reason == "can't open config file '/etc/vigil/missing.conf' or '/work/missing.conf': No such file or directory")
    }

    @Test func missingMainFileIsReported() {
        let fs = fileSystem()
        #expect(throws: ConfigError.cannotOpen(path: "/work/nope.conf", reason: "No such file or directory")) {
            try ConfigStore.load(path: "nope.conf", overrides: [], mode: .server, files: fs.access)
        }
        let e = ConfigError.cannotOpen(path: "/work/nope.conf", reason: "No such file or directory")
        #expect(e.description == "Fatal error, can't open config file '/work/nope.conf': No such file or directory")
    }

    @Test func refusedValuesCanBeOverriddenByLaterLines() throws {
        let c = try load("appendonly yes\n", overrides: ["--appendonly", "no"])
        #expect(!c.bool("appendonly"))
        _ = try load("appendonly yes\nappendonly no\nunixsocket /x\nunixsocket \"\"\n")
    }

    @Test func refusalIsReportedAtTheLastLineThatSetIt() throws {
        let error = try #require(loadError("appendonly no\nport 1\nappendonly yes\n"))
        #expect(error.line?.number == 3)
        #expect(error.line?.text == "appendonly yes")
    }
}
