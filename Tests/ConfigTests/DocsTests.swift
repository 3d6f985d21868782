// DocsTests: keeps docs/configuration.md true to the code.
//
// Rules checked:
//   1. every directive of DirectiveRegistry has a table row whose first cell
//      names it in backticks, and lists each of its aliases in backticks;
//   2. that row's Default cell (its code spans, joined by "; ") is what
//      CONFIG GET prints for the default, or what CONFIG REWRITE writes
//      (e.g. `1mb`); `""` stands for the empty string; `dir` is exempt (its
//      default is the working directory);
//   3. the CONFIG SET cell is "yes", "yes, protected" or "no" as the flags say;
//   4. the Notes cell says "No effect" exactly for `.noEffect` directives;
//   5. no row names a directive the registry does not know (no stale rows);
//   6. the obsolete names the loader ignores are mentioned;
//   7. every `sentinel …` sub-directive the sentinel's parser knows (read
//      from SentinelFileConfig+Parse.swift) appears as "`sentinel <name>".
// Paths are relative to this file (#filePath), so the test runs from any
// working directory.

import Foundation
import Testing
@testable import Config

/// A file of the repository, located from this source file's path.
private func repositoryFile(_ relativePath: String, from file: String = #filePath) -> URL {
    URL(fileURLWithPath: file)
        .deletingLastPathComponent()   // Tests/ConfigTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // repository root
        .appendingPathComponent(relativePath)
}

/// The text between backticks, in order.
private func codeSpans(_ text: some StringProtocol) -> [String] {
    let parts = text.split(separator: "`", omittingEmptySubsequences: false)
    return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
}

/// One row of a directive table of docs/configuration.md.
private struct DocRow {
    let names: [String]
    let cells: [String]

    var name: String { names.first ?? "" }
    var defaultCell: String { cells.count > 2 ? cells[2] : "" }
    var configSetCell: String { cells.count > 3 ? cells[3] : "" }
    var notesCell: String { cells.count > 4 ? cells[4] : "" }
}

/// docs/configuration.md, parsed into its directive rows.
private struct ConfigDoc {
    let text: String
    let rows: [DocRow]

    /// Read once for the whole suite.
    static let shared = Result { try ConfigDoc.load() }

    static func load() throws -> ConfigDoc {
        let text = try String(contentsOf: repositoryFile("docs/configuration.md"), encoding: .utf8)
        var rows: [DocRow] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = cells.first else { continue }
            let names = codeSpans(first)
            // Rows of the sentinel tables name "sentinel <directive> …".
            if names.first?.hasPrefix("sentinel ") ?? true { continue }
            rows.append(DocRow(names: names, cells: cells))
        }
        return ConfigDoc(text: text, rows: rows)
    }

    func row(named name: String) -> DocRow? {
        rows.first { $0.name == name }
    }
}

/// The Default cells the registry's default value allows (see rule 2).
private func acceptedDefaults(_ spec: DirectiveSpec) -> Set<String> {
    let value = spec.defaultValue
    var accepted: Set<String> = [spec.kind.format(value)]
    let arguments = spec.kind.rewriteLines(name: spec.name, value: value, explicit: true)
        .map { String($0.dropFirst(spec.name.count + 1)) }
    accepted.insert(arguments.joined(separator: "; "))
    accepted.insert(arguments.map(unquoted).joined(separator: "; "))
    return accepted
}

private func unquoted(_ word: String) -> String {
    guard word.count >= 2, word.hasPrefix("\""), word.hasSuffix("\"") else { return word }
    return String(word.dropFirst().dropLast())
}

/// The default as the doc writes it: its code spans joined by "; ", `""` → empty.
private func documentedDefault(_ cell: String) -> String {
    codeSpans(cell).map { $0 == "\"\"" ? "" : $0 }.joined(separator: "; ")
}

@Suite struct ConfigurationDocTests {
    static let directiveNames = DirectiveRegistry.all.map(\.name)

    @Test(arguments: directiveNames)
    func everyDirectiveAndItsAliasesHaveARow(name: String) throws {
        let doc = try ConfigDoc.shared.get()
        let spec = try #require(DirectiveRegistry.index(of: name).map { DirectiveRegistry.all[$0] })
        let row = doc.row(named: name)
        if row == nil { Issue.record("docs/configuration.md has no table row for `\(name)`") }
        for alias in spec.aliases {
            #expect(row?.names.contains(alias) == true,
                    "the row of `\(name)` in docs/configuration.md does not list its alias `\(alias)`")
        }
    }

    @Test(arguments: directiveNames)
    func documentedDefaultIsTheRegistryDefault(name: String) throws {
        let doc = try ConfigDoc.shared.get()
        let spec = try #require(DirectiveRegistry.index(of: name).map { DirectiveRegistry.all[$0] })
        if case .directory = spec.kind { return }
        guard let row = doc.row(named: name) else { return }   // reported by everyDirectiveAndItsAliasesHaveARow
        let documented = documentedDefault(row.defaultCell)
        let accepted = acceptedDefaults(spec)
        #expect(accepted.contains(documented),
                "`\(name)`: the doc says the default is '\(documented)', the registry says one of \(accepted.sorted())")
    }

    @Test(arguments: directiveNames)
    func configSetColumnMatchesMutability(name: String) throws {
        let doc = try ConfigDoc.shared.get()
        let spec = try #require(DirectiveRegistry.index(of: name).map { DirectiveRegistry.all[$0] })
        guard let row = doc.row(named: name) else { return }   // reported by everyDirectiveAndItsAliasesHaveARow
        let expected = !spec.flags.contains(.mutable) ? "no"
            : spec.flags.contains(.protected) ? "yes, protected" : "yes"
        #expect(row.configSetCell == expected,
                "`\(name)`: the CONFIG SET column says '\(row.configSetCell)', the registry says '\(expected)'")
    }

    @Test(arguments: directiveNames)
    func noEffectIsMarkedExactlyWhenTheRegistrySaysSo(name: String) throws {
        let doc = try ConfigDoc.shared.get()
        let spec = try #require(DirectiveRegistry.index(of: name).map { DirectiveRegistry.all[$0] })
        guard let row = doc.row(named: name) else { return }   // reported by everyDirectiveAndItsAliasesHaveARow
        let marked = row.notesCell.contains("No effect")
        let flagged = spec.flags.contains(.noEffect)
        #expect(marked == flagged,
                "`\(name)`: notes mention \"No effect\": \(marked); registry flag .noEffect: \(flagged)")
    }

    @Test func everyRowNamesAKnownDirectiveAndOnlyItsOwnAliases() throws {
        let doc = try ConfigDoc.shared.get()
        let rowCount = doc.rows.count
        #expect(rowCount > 0, "no directive rows found in docs/configuration.md")
        for row in doc.rows {
            guard let index = DirectiveRegistry.index(of: row.name) else {
                Issue.record("docs/configuration.md documents `\(row.name)`, which the registry does not know")
                continue
            }
            let spec = DirectiveRegistry.all[index]
            #expect(spec.name == row.name, "`\(row.name)` is an alias: document it in the row of `\(spec.name)`")
            for alias in row.names.dropFirst() {
                #expect(spec.aliases.contains(alias), "`\(alias)` is not an alias of `\(spec.name)`")
            }
        }
    }

    @Test func ignoredObsoleteDirectivesAreMentioned() throws {
        let doc = try ConfigDoc.shared.get()
        for name in DirectiveRegistry.ignoredObsolete.sorted() {
            let mentioned = doc.text.contains("`\(name)`")
            #expect(mentioned, "docs/configuration.md does not mention `\(name)`")
        }
    }

    @Test func everySentinelDirectiveIsDocumented() throws {
        let doc = try ConfigDoc.shared.get()
        let names = try sentinelDirectiveNames()
        #expect(names.count >= 20, "could not read the sentinel directives from SentinelFileConfig+Parse.swift")
        for name in names {
            let documented = doc.text.contains("`sentinel \(name)")
            #expect(documented, "docs/configuration.md does not document `sentinel \(name)`")
        }
    }

    /// The raw values of `SentinelFileDirective` (a `case x = "raw"` or a bare `case x`).
    private func sentinelDirectiveNames() throws -> [String] {
        let source = try String(contentsOf: repositoryFile("Sources/SentinelCore/SentinelFileConfig+Parse.swift"),
                                encoding: .utf8)
        var names: [String] = []
        var inside = false
        for raw in source.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("private enum SentinelFileDirective") { inside = true; continue }
            guard inside else { continue }
            if line.hasPrefix("init?(") || line.hasPrefix("///") && !names.isEmpty { break }
            guard line.hasPrefix("case ") else { continue }
            let body = line.dropFirst(5)
            if let quote = body.firstIndex(of: "\""), let end = body[body.index(after: quote)...].firstIndex(of: "\"") {
                names.append(String(body[body.index(after: quote)..<end]))
            } else if !body.contains(",") && !body.contains(" ") {
                names.append(String(body))
            }
        }
        return names
    }
}
