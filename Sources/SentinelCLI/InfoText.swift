// InfoText.swift — reading fields out of INFO text ("key:value" lines,
// "# Section" headers, CRLF or LF line ends) and out of the SENTINEL
// INFO-CACHE reply: [name, [[age-ms, info-or-null] for the master, then for
// each replica], name, ...].
//
// Invariant: pure text processing; unknown shapes answer nil.

import RESP

/// The value of `key` in INFO text, or nil when the line is absent.
func infoField(_ key: String, in text: String) -> String? {
    for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
        guard let colon = line.firstIndex(of: ":"), line[..<colon] == key else { continue }
        return String(line[line.index(after: colon)...])
    }
    return nil
}

/// `master_repl_offset` from the master's entry (the first) in a SENTINEL
/// INFO-CACHE reply, for the master named `master`.
func masterReplOffset(infoCache reply: RESPValue, master: String) -> Int64? {
    guard let items = reply.elements else { return nil }
    var index = 0
    while index + 1 < items.count {
        defer { index += 2 }
        guard items[index].string == master,
              let entries = items[index + 1].elements,
              let first = entries.first?.elements, first.count == 2,
              let info = first[1].string
        else { continue }
        return infoField("master_repl_offset", in: info).flatMap { Int64($0) }
    }
    return nil
}
