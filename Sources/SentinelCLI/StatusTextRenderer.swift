// StatusTextRenderer.swift — the human-readable `sentinel status` output.
//
// Layout: a header (sentinel address, myid, tilt); then per master a block
// of key/value lines, a replicas table, a sentinels table and the failover
// timeline (see FailoverTimeline for which events). Missing values print as
// "-".
//
// Invariants: pure — the report, the colour switch and the time zone are
// inputs; colour codes wrap only the state word and only when `useColor`.

import Foundation

/// Renders a `StatusReport` as aligned text.
struct StatusTextRenderer {
    /// Colour the state word (stdout is a terminal).
    var useColor = false
    /// Zone for the absolute time of the first timeline event.
    var timeZone = TimeZone.current

    /// The whole report, ending with a newline.
    func render(_ report: StatusReport) -> String {
        var lines = keyValueLines([
            ("Sentinel", report.sentinel.address),
            ("myid", report.sentinel.myid ?? "-"),
            ("tilt", report.sentinel.tilt.map { $0 ? "yes" : "no" } ?? "-"),
        ], indent: "")
        if report.masters.isEmpty {
            lines += ["", "No masters monitored."]
        }
        for master in report.masters {
            lines.append("")
            lines += masterLines(master)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The block for one master.
    func masterLines(_ master: MasterStatus) -> [String] {
        let fields = master.fields
        var state = colored(master.state)
        if let stage = fields["failover-state"] { state += " (\(stage))" }
        var lines = ["Master \(master.name)"]
        lines += keyValueLines([
            ("address", fields.address),
            ("state", state),
            ("flags", fields["flags"] ?? "-"),
            ("config-epoch", fields["config-epoch"] ?? "-"),
            ("quorum", fields["quorum"] ?? "-"),
            ("ckquorum", quorumText(master)),
            ("sentinels", fields["num-other-sentinels"].map { "\($0) others" } ?? "-"),
            ("replicas", fields["num-slaves"] ?? "-"),
        ], indent: "  ")

        lines += ["", "  Replicas (\(master.replicas.count))"]
        if master.replicas.isEmpty {
            lines.append("    none")
        } else {
            var table = TextTable(header: ["ADDRESS", "FLAGS", "LINK", "OFFSET", "LAG", "PRIORITY", "LAST-OK-PING"])
            for replica in master.replicas {
                let f = replica.fields
                table.rows.append([
                    f.address, f["flags"] ?? "-", f["master-link-status"] ?? "-",
                    f["slave-repl-offset"] ?? "-", replica.lagBytes.map(String.init) ?? "-",
                    f["slave-priority"] ?? "-", milliseconds(f["last-ok-ping-reply"]),
                ])
            }
            lines += table.lines(indent: "    ")
        }

        lines += ["", "  Sentinels (\(master.sentinels.count))"]
        if master.sentinels.isEmpty {
            lines.append("    none")
        } else {
            var table = TextTable(header: ["ADDRESS", "RUNID", "LAST-HELLO", "VOTED-LEADER", "VOTED-EPOCH"])
            for peer in master.sentinels {
                table.rows.append([
                    peer.address, shortID(peer["runid"]), milliseconds(peer["last-hello-message"]),
                    shortID(peer["voted-leader"]), peer["voted-leader-epoch"] ?? "-",
                ])
            }
            lines += table.lines(indent: "    ")
        }

        if let events = master.events {
            lines.append("")
            lines += timelineLines(events)
        }
        return lines
    }

    /// The "Last failover" (or "Recent events") section.
    func timelineLines(_ events: [SentinelEventRecord]) -> [String] {
        guard let timeline = FailoverTimeline(events: events), let first = timeline.events.first else {
            return ["  Events: none recorded"]
        }
        let title = timeline.kind == .lastFailover ? "Last failover" : "Recent events"
        var lines = ["  \(title) (from \(formatLocalTime(unixMs: first.unixMs, timeZone: timeZone)))"]
        var table = TextTable(header: ["", "", ""])
        for event in timeline.events {
            table.rows.append([relativeTime(ms: event.unixMs - first.unixMs), event.name, event.payload])
        }
        lines += table.lines(indent: "    ").dropFirst()
        return lines
    }

    /// The CKQUORUM verdict, reworded when it is the usual OK sentence.
    func quorumText(_ master: MasterStatus) -> String {
        let verdict = master.quorumVerdict
        guard verdict.ok else { return verdict.message }
        // "OK 3 usable Sentinels. Quorum and failover authorization can be reached"
        let words = verdict.message.split(separator: " ")
        if words.count >= 3, words[2] == "usable", let usable = Int(words[1]) {
            return "reachable: \(usable) usable sentinels, quorum \(master.fields["quorum"] ?? "?") OK"
        }
        return verdict.message
    }

    private func colored(_ state: MasterState) -> String {
        guard useColor else { return state.rawValue }
        let code: String
        switch state {
        case .ok: code = "32"
        case .sdown: code = "33"
        case .odown, .failoverInProgress: code = "31"
        }
        return "\u{1B}[\(code)m\(state.rawValue)\u{1B}[0m"
    }
}

/// "  key    value" lines with the values aligned.
func keyValueLines(_ pairs: [(String, String)], indent: String) -> [String] {
    let width = pairs.map(\.0.count).max() ?? 0
    return pairs.map { key, value in
        indent + key + String(repeating: " ", count: width - key.count + 2) + value
    }
}

/// "123ms", or "-" when absent.
private func milliseconds(_ value: String?) -> String {
    value.map { "\($0)ms" } ?? "-"
}

/// The first 8 characters of a 40-character run id; other values as they are.
private func shortID(_ value: String?) -> String {
    guard let value, !value.isEmpty else { return "-" }
    return value.count == 40 ? String(value.prefix(8)) : value
}
