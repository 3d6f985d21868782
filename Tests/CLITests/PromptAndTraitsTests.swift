// PromptAndTraitsTests.swift — the prompt text and what vigil-cli knows about
// commands before sending them.

import Testing
@testable import CLI

@Test("the prompt shows host:port, [db] when not 0, (TX) inside MULTI")
func promptTexts() {
    #expect(promptText(host: "127.0.0.1", port: 6379, database: 0, inTransaction: false) == "127.0.0.1:6379> ")
    #expect(promptText(host: "127.0.0.1", port: 6379, database: 2, inTransaction: false) == "127.0.0.1:6379[2]> ")
    #expect(promptText(host: "h", port: 1, database: 3, inTransaction: true) == "h:1[3](TX)> ")
    #expect(promptText(host: "::1", port: 6379, database: 0, inTransaction: false) == "[::1]:6379> ")
    #expect(disconnectedPrompt == "not connected> ")
}

@Test("INFO-like replies print raw; MONITOR and SUBSCRIBE stream; SHUTDOWN expects EOF",
      arguments: [
        (["INFO"], true, CommandMode.normal),
        (["info", "replication"], true, .normal),
        (["client", "list"], true, .normal),
        (["client", "kill", "x"], false, .normal),
        (["latency", "doctor"], true, .normal),
        (["get", "k"], false, .normal),
        (["MONITOR"], false, .monitor),
        (["subscribe", "a"], false, .subscribe),
        (["PSUBSCRIBE", "a*"], false, .subscribe),
        (["shutdown", "nosave"], false, .shutdown),
      ])
func commandTraits(arguments: [String], raw: Bool, mode: CommandMode) {
    let traits = CommandTraits(arguments.map { Array($0.utf8) })
    #expect(traits.printsRawText == raw && traits.mode == mode)
}

@Test("AUTH and ACL SETUSER lines stay out of the history")
func secretLines() {
    #expect(isSecretLine([Array("AUTH".utf8), Array("pw".utf8)]))
    #expect(isSecretLine([Array("acl".utf8), Array("SETUSER".utf8), Array("bob".utf8)]))
    #expect(!isSecretLine([Array("acl".utf8), Array("list".utf8)]))
    #expect(!isSecretLine([]))
}
