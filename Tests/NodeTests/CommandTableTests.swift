// Pure pieces of the node: key positions from the command table, MONITOR's
// quoting, client-name validation and the command lookup's case handling.

import Testing
@testable import Node

@Suite struct CommandTableTests {
    @Test func lookupIsCaseInsensitive() {
        let table = CommandTable.standard()
        for spelling in ["get", "GET", "Get", "gEt"] {
            #expect(table.lookup(Array(spelling.utf8))?.name == "get")
        }
        #expect(table.lookup(Array("nosuch".utf8)) == nil)
    }

    @Test(arguments: [
        ("mset", ["mset", "a", "1", "b", "2"], [1, 3]),
        ("get", ["get", "k"], [1]),
        ("del", ["del", "a", "b", "c"], [1, 2, 3]),
        ("ping", ["ping"], []),
    ])
    func keyIndicesFollowTheLegacyPositions(name: String, args: [String], expected: [Int]) {
        let table = CommandTable.standard()
        guard let spec = table.lookup(Array(name.utf8)) else { Issue.record("no \(name)"); return }
        #expect(spec.keyIndices(argumentCount: args.count) == expected)
    }

    @Test func everyCommandHasAValidArity() {
        for spec in CommandTable.standard().specs {
            #expect(spec.arity != 0, "\(spec.name)")
            #expect(spec.name == spec.name.lowercased())
        }
    }

    @Test func monitorQuotesLikeSdscatrepr() {
        var out: [UInt8] = []
        appendQuoted(Array("a \"b\"\n\u{01}".utf8), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"a \\\"b\\\"\\n\\x01\"")
    }

    @Test(arguments: [("good-name", true), ("has space", false), ("tab\t", false), ("", true)])
    func clientNamesArePrintableWithoutSpaces(name: String, valid: Bool) {
        #expect(isValidClientName(Array(name.utf8)) == valid)
    }
}
