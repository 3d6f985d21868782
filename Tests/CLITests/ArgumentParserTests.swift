// ArgumentParserTests.swift — vigil-cli's command line read like redis-cli
// 7.0's: options, their C-style numbers, the first non-option starting the
// command, -u URIs, and the texts printed on mistakes.

import Testing
@testable import CLI

/// The options of a successful parse (fails the test otherwise).
func options(_ arguments: [String], environment: [String: String] = [:]) throws -> (CLIOptions, [String]) {
    guard case .run(let options, let warnings) = parseArguments(arguments, environment: environment) else {
        Issue.record("expected .run for \(arguments)")
        throw CancellationError()
    }
    return (options, warnings)
}

@Test("defaults are 127.0.0.1:6379, database 0, run once, output by terminal")
func defaults() throws {
    let (o, warnings) = try options([])
    #expect(o.host == "127.0.0.1" && o.port == 6379 && o.database == 0 && o.repeatCount == 1)
    #expect(o.outputMode == nil && o.command.isEmpty && warnings.isEmpty)
}

@Test("options before the command are read; the first non-option starts the command")
func optionsThenCommand() throws {
    let (o, _) = try options(["-h", "10.0.0.2", "-p", "6380", "-n", "3", "--raw", "-r", "5", "-i", "0.25",
                              "-x", "-3", "-e", "set", "-p", "v"])
    #expect(o.host == "10.0.0.2" && o.port == 6380 && o.database == 3)
    #expect(o.outputMode == .raw && o.repeatCount == 5 && o.intervalMicroseconds == 250_000)
    #expect(o.lastArgumentFromStandardInput && o.resp3 && o.exitOnErrorReply)
    #expect(o.command == ["set", "-p", "v"])
}

@Test("the last of --raw and --no-raw wins")
func rawFlags() throws {
    #expect(try options(["--raw", "--no-raw"]).0.outputMode == .standard)
    #expect(try options(["--no-raw", "--raw"]).0.outputMode == .raw)
}

@Test("numbers are read like atoi: leading digits count, garbage is 0")
func cStyleNumbers() throws {
    #expect(try options(["-p", "abc"]).0.port == 0)
    #expect(try options(["-p", "12ab"]).0.port == 12)
    #expect(try options(["-r", "-1"]).0.repeatCount == -1)
    #expect(try options(["-i", "1.5s"]).0.intervalMicroseconds == 1_500_000)
    #expect(try options(["-n", " 7"]).0.database == 7)
}

@Test("-a warns that the password may not be safe, unless --no-auth-warning")
func passwordWarning() throws {
    let (o, warnings) = try options(["-a", "secret", "--user", "bob", "ping"])
    #expect(o.password == "secret" && o.user == "bob")
    #expect(warnings == ["Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe."])
    #expect(try options(["--no-auth-warning", "--pass", "s"]).1.isEmpty)
}

@Test("REDISCLI_AUTH supplies a password silently, and -a takes precedence")
func passwordFromEnvironment() throws {
    let (o, warnings) = try options(["ping"], environment: ["REDISCLI_AUTH": "envpw"])
    #expect(o.password == "envpw" && warnings.isEmpty)
    #expect(try options(["-a", "cli", "ping"], environment: ["REDISCLI_AUTH": "envpw"]).0.password == "cli")
}

@Test("help, version and mistakes", arguments: [
    (["--help"], CLIInvocation.help),
    (["-h"], .help),
    (["-v"], .version),
    (["--version", "ping"], .version),
    (["--bogus"], .failure("Unrecognized option or bad number of args for: '--bogus'")),
    (["-p"], .failure("Unrecognized option or bad number of args for: '-p'")),
    (["-2", "-3"], .failure("Options -2 and -3 are mutually exclusive.")),
    (["-u", "http://x"], .failure("Invalid URI scheme")),
])
func invocations(arguments: [String], expected: CLIInvocation) {
    #expect(parseArguments(arguments) == expected)
}

@Test("an unknown --show-pushes value warns and keeps the default")
func showPushes() throws {
    #expect(try options(["--show-pushes", "no"]).0.showPushes == false)
    #expect(try options(["--show-pushes", "Yes"]).0.showPushes == true)
    let (o, warnings) = try options(["--show-pushes", "maybe"])
    #expect(o.showPushes == nil && warnings == ["Unknown --show-pushes value 'maybe' (valid: '[y]es', '[n]o')"])
}

@Test("-u redis://user:pass@host:port/db sets each part that is present")
func uriOption() throws {
    let (o, warnings) = try options(["-u", "redis://bob:p%40ss@example.com:7000/4", "get", "k"])
    #expect(o.user == "bob" && o.password == "p@ss" && o.host == "example.com" && o.port == 7000 && o.database == 4)
    #expect(warnings.count == 1)
    let (plain, quiet) = try options(["-p", "7001", "-u", "REDIS://10.1.1.1"])
    #expect(plain.host == "10.1.1.1" && plain.port == 7001 && plain.password == nil && quiet.isEmpty)
}

@Test("URI user info: password only, empty user, bad escapes")
func uriUserInfo() {
    #expect(parseRedisURI("redis://pw@h") == .success(RedisURI(password: "pw", host: "h")))
    #expect(parseRedisURI("redis://:pw@h:1/2") == .success(RedisURI(password: "pw", host: "h", port: 1, database: 2)))
    #expect(parseRedisURI("redis://") == .success(RedisURI()))
    #expect(parseRedisURI("redis://a%4@h") == .failure(.incompleteEncoding))
    #expect(parseRedisURI("redis://a%zz@h") == .failure(.illegalEncoding))
}
