// History.swift — the prompt's command history: kept in memory and saved
// after every line to ~/.vigilcli_history (or $VIGILCLI_HISTFILE; the value
// "/dev/null" keeps it in memory only), best effort: a file that cannot be
// read or written is silently ignored, like linenoise does.
//
// Invariants: at most `limit` entries, oldest first; a line equal to the
// previous entry is not added again.

import RESP

/// Command history for the interactive prompt.
final class History {
    /// Entries, oldest first.
    private(set) var entries: [String] = []
    private let path: String?
    private let limit: Int

    /// Loads `path` (one entry per line) when given.
    init(path: String?, limit: Int = 100) {
        self.path = path
        self.limit = limit
        if let path, let bytes = Sys.readFile(path) {
            entries = bytes.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
            trim()
        }
    }

    /// Adds a typed line and saves the file.
    func add(_ line: String) {
        guard entries.last != line else { return }
        entries.append(line)
        trim()
        if let path {
            Sys.writeFile(path, Array(entries.map { $0 + "\n" }.joined().utf8))
        }
    }

    private func trim() {
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// Where the history lives for this environment, or nil for memory only.
    static func path(environment: [String: String]) -> String? {
        if let custom = environment["VIGILCLI_HISTFILE"], !custom.isEmpty {
            return custom == "/dev/null" ? nil : custom
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.vigilcli_history"
    }
}
