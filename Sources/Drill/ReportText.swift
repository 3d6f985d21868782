// ReportText.swift — a drill report as the terminal table: heading, the
// timeline, the numbers that matter, the checks and the verdict; and the
// one-line-per-scenario summary `all` ends with.
//
// Invariants: pure; plain ASCII layout (no colours), columns padded with
// spaces; every line ends in "\n".

extension DrillReport {
    /// The report as text.
    public var text: String {
        var out = ""
        let cluster = attached ? "scripts/cluster's cluster in \(clusterDirectory)"
            : "own cluster in \(clusterDirectory) (down-after \(downAfterMilliseconds) ms, failover-timeout \(failoverTimeoutMilliseconds) ms)"
        out += "== \(scenario.rawValue) · \(backend.displayName) · \(cluster)\n"
        out += "   \(scenario.summary)\n"
        out += "   master at start \(originalMaster); sentinels " + sentinelLabels.map { "\($0.label)=\($0.address)" }.joined(separator: " ") + "\n\n"

        let sourceWidth = max(6, timeline.map(\.source.count).max() ?? 0)
        out += "   " + pad("TIME (s)", 9) + "  " + pad("SOURCE", sourceWidth) + "  EVENT\n"
        for entry in timeline {
            let marker = entry.kind == .fault ? "FAULT: " : ""
            out += "   " + padLeft(formatSeconds(entry.time), 9) + "  " + pad(entry.source, sourceWidth) + "  " + marker + entry.text + "\n"
        }
        out += "\n"

        var rows: [(String, [String])] = []
        for fault in faults {
            let window: String
            if let gap = fault.unavailability {
                window = "\(formatDuration(gap.duration)) s around \(fault.label) (\(formatSeconds(gap.start)) → \(formatSeconds(gap.end)))"
                    + (gap.isOpen ? ", writes never resumed" : "")
            } else {
                window = "no writes around \(fault.label)"
            }
            rows.append(("unavailable", [window]))
        }
        let failureText = failures.isEmpty ? "" : " (" + failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        rows.append(("writes", ["\(acknowledged) acknowledged, \(failures.values.reduce(0, +)) failed attempts\(failureText)"]))
        rows.append(("lost", [lostText(lost, prefix: keyPrefix)]))
        if let splitLost = splitBrainLost {
            rows.append(("split brain", ["\(splitBrainAcknowledged ?? 0) writes acknowledged straight by the old master, \(splitBrainAcknowledgedAfterResume ?? 0) of them after it resumed; "
                                         + lostText(splitLost, prefix: splitBrainKeyPrefix ?? "")]))
        }
        let liveSentinels = sentinels.filter(\.alive)
        let agreeing = liveSentinels.filter { $0.master != nil && $0.master == finalMaster }.count
        rows.append(("final master", [finalMaster.map { "\($0) (\(agreeing) of \(sentinels.count) sentinels name it)" } ?? "the sentinels do not agree: " + liveSentinels.map { "\($0.address) → \($0.master.map(String.init(describing:)) ?? "?")" }.joined(separator: ", ")]))
        rows.append(("nodes", nodes.map { "\($0.address)  \(describe($0))" }))
        rows.append(("converged", [converged ? "yes: one master, every node follows it" : "NO"]))
        rows.append(("old master", [oldMasterFate]))
        if let resync { rows.append(("resync", [resync])) }
        if let svgPath { rows.append(("svg", [svgPath])) }
        for (label, lines) in rows {
            for (index, line) in lines.enumerated() {
                out += "   " + pad(index == 0 ? label : "", 13) + "  " + line + "\n"
            }
        }
        out += "\n"
        for check in checks {
            out += "   \(check.outcome.rawValue)  \(check.title) — \(check.detail)\n"
        }
        out += "   verdict: \(passed ? "PASS" : "FAIL")\n"
        return out
    }
}

/// The closing table of `all`: one line per scenario.
public func drillSummary(_ reports: [DrillReport]) -> String {
    var out = "== summary (\(reports.first?.backend.displayName ?? ""))\n"
    out += "   " + pad("SCENARIO", 15) + "  " + pad("VERDICT", 7) + "  " + pad("UNAVAILABLE", 11) + "  " + pad("LOST", 22) + "  FINAL MASTER\n"
    for report in reports {
        let longest = report.faults.compactMap(\.unavailability).max { $0.duration < $1.duration }
        let unavailable = longest.map { formatDuration($0.duration) + " s" + ($0.isOpen ? "+" : "") } ?? "-"
        var lost = "\(report.lost.lost.count)/\(report.lost.checked)"
        if let split = report.splitBrainLost { lost += " split \(split.lost.count)/\(split.checked)" }
        out += "   " + pad(report.scenario.rawValue, 15) + "  " + pad(report.passed ? "PASS" : "FAIL", 7) + "  " + pad(unavailable, 11)
            + "  " + pad(lost, 22) + "  " + (report.finalMaster?.description ?? "-") + "\n"
    }
    out += "   overall: \(reports.allSatisfy(\.passed) ? "PASS" : "FAIL")\n"
    return out
}

private func lostText(_ lost: LostWrites, prefix: String) -> String {
    if let error = lost.error { return "not checked: \(error)" }
    var text = "\(lost.lost.count) of \(lost.checked) acknowledged writes missing on the final master"
    if !lost.lost.isEmpty {
        text += " (" + lost.lost.prefix(5).map { "\(prefix)\($0)" }.joined(separator: ", ") + (lost.lost.count > 5 ? ", …" : "") + ")"
    }
    return text
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
