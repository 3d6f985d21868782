// ArgumentParserTests.swift — the command-line rules of SentinelArgumentParser.

import Testing
@testable import SentinelCLI

@Suite struct ArgumentParserTests {
    private func parsed(_ words: [String]) -> SentinelCommandLine? {
        try? parseSentinelCommandLine(words).get()
    }

    private func usageError(_ words: [String]) -> String? {
        if case .failure(let error) = parseSentinelCommandLine(words) { return error.message }
        return nil
    }

    @Test func statusDefaultsToLocalSentinelPort26379() {
        #expect(parsed(["status"]) == .run(SentinelCLIOptions(), .status(master: nil)))
        #expect(SentinelCLIOptions().address == "127.0.0.1:26379")
    }

    @Test func optionsMayComeBeforeOrAfterTheVerb() {
        var expected = SentinelCLIOptions()
        expected.host = "10.0.0.5"
        expected.port = 5000
        expected.password = "secret"
        expected.user = "ops"
        expected.json = true
        let line = SentinelCommandLine.run(expected, .status(master: "mymaster"))
        #expect(parsed(["-h", "10.0.0.5", "status", "-p", "5000", "mymaster", "-a", "secret", "--user", "ops", "--json"]) == line)
        #expect(parsed(["--json", "-a", "secret", "--user", "ops", "-h", "10.0.0.5", "-p", "5000", "status", "mymaster"]) == line)
    }

    @Test(arguments: [
        (["failover", "mymaster"], SentinelVerb.failover(master: "mymaster")),
        (["ckquorum", "mymaster"], .ckquorum(master: "mymaster")),
        (["reset", "*"], .reset(pattern: "*")),
        (["status", "other"], .status(master: "other")),
    ])
    func eachVerbTakesItsOperand(words: [String], verb: SentinelVerb) {
        #expect(parsed(words) == .run(SentinelCLIOptions(), verb))
    }

    @Test func watchDefaultsToOneSecondAndTakesANumberOnlyWhenOneFollows() {
        var options = SentinelCLIOptions()
        options.watchInterval = 1
        #expect(parsed(["status", "--watch"]) == .run(options, .status(master: nil)))
        #expect(parsed(["status", "--watch", "mymaster"]) == .run(options, .status(master: "mymaster")))
        options.watchInterval = 2.5
        #expect(parsed(["--watch", "2.5", "status"]) == .run(options, .status(master: nil)))
    }

    @Test func helpAnywhereWinsEvenOverMistakes() {
        #expect(parsed(["--help"]) == .help)
        #expect(parsed(["status", "--bogus", "--help"]) == .help)
    }

    @Test(arguments: [
        ([], "Missing command (status, failover, ckquorum or reset)"),
        (["frobnicate"], "Unknown command: frobnicate"),
        (["status", "--bogus"], "Unrecognized option: --bogus"),
        (["status", "-p"], "Option -p needs a value"),
        (["status", "-p", "http"], "Invalid port: http"),
        (["status", "-p", "70000"], "Invalid port: 70000"),
        (["status", "a", "b"], "status takes at most one master name"),
        (["failover"], "failover needs exactly one argument: a master name"),
        (["ckquorum", "a", "b"], "ckquorum needs exactly one argument: a master name"),
        (["reset"], "reset needs exactly one argument: a pattern"),
        (["failover", "mymaster", "--watch"], "--watch only applies to status"),
        (["status", "--watch", "0"], "Invalid --watch period: 0"),
    ])
    func usageMistakesAreNamed(words: [String], message: String) {
        #expect(usageError(words) == message)
    }

    @Test func usageErrorsExitWith2() {
        #expect(runSentinelCLI(arguments: ["status", "--bogus"]) == 2)
        #expect(runSentinelCLI(arguments: []) == 2)
    }

    @Test(arguments: ["status", "failover", "ckquorum", "reset"])
    func operatorVerbsAreRecognised(word: String) {
        #expect(isSentinelCLIVerb(word))
    }

    @Test(arguments: ["sentinel.conf", "--port", "STATUS", ""])
    func otherWordsStartTheDaemon(word: String) {
        #expect(!isSentinelCLIVerb(word))
    }
}
