// ReportSVG.swift — a drill report as an SVG timeline: acknowledged writes per
// 100 ms as bars over time (acknowledged writes later found missing on the
// final master stacked in red), the write-unavailability windows shaded, and every
// drill step and the sentinel events that tell the failover's story (down,
// agreed down, leader, promotion, switch, conversion, end, aborts) as
// labelled vertical markers, the fault in red. The table keeps every event;
// the chart leaves out the chatter (votes, epochs, state changes, reconf
// steps, role reports, sentinels' own sdown). Labels stand upright above the
// chart; when events crowd together the labels are spread apart and joined
// to their true time by a leader line. Marker lines run behind the bars,
// except the fault's.
//
//   title, legend
//   |  |   |    upright labels (one per marker)
//   |  /  /     leaders
//   █▇█|  |  ▂▅██▇  bars, shaded gaps, marker lines
//   -1 s   0   +1 s  axis (seconds relative to the fault)
//
// Invariants: pure; all text is XML-escaped; the output is a standalone SVG
// 1.1 document with a white background that rsvg-convert renders.

extension DrillReport {
    /// The report as an SVG document.
    public var svg: String { SVGTimeline(self).render() }
}

/// Lays out and draws one report.
struct SVGTimeline {
    let report: DrillReport
    let width = 1100.0
    let left = 64.0
    let right = 24.0
    let labelBase = 318.0        // bottom of the upright labels (their tops stay below the legend)
    let chartTop = 340.0
    let chartBottom = 500.0
    let height = 548.0
    let labelSpacing = 12.0
    let maxLabelCharacters = 40

    init(_ report: DrillReport) { self.report = report }

    var plotWidth: Double { width - left - right }
    var start: Int64 { report.span.lowerBound - 200_000_000 }
    var end: Int64 { max(report.span.upperBound + 200_000_000, start + 1_000_000_000) }

    func x(_ time: Int64) -> Double {
        left + Double(time - start) / Double(end - start) * plotWidth
    }

    func render() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        out += title()
        out += legend()
        out += axes()
        let list = markerList
        let positions = labelPositions(list)
        out += gaps()
        out += markerLines(list, positions, front: false)
        out += bars()
        out += markerLines(list, positions, front: true)
        out += markerLabels(list, positions)
        out += "</svg>\n"
        return out
    }

    private func title() -> String {
        let verdict = report.passed ? "PASS" : "FAIL"
        let colour = report.passed ? "#2a7d2a" : "#c62828"
        var out = "<text x=\"\(left)\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(escape("\(report.scenario.rawValue) · \(report.backend.displayName)"))"
        out += " <tspan fill=\"\(colour)\">\(verdict)</tspan></text>\n"
        var facts: [String] = []
        if let gap = report.faults.first?.unavailability { facts.append("unavailable \(formatDuration(gap.duration)) s") }
        facts.append("\(report.lost.lost.count) of \(report.lost.checked) acknowledged writes lost")
        if let split = report.splitBrainLost { facts.append("split brain: \(split.lost.count) of \(split.checked) lost") }
        if let resync = report.resync { facts.append(String(resync.prefix { $0 != ";" })) }
        facts.append("final master \(report.finalMaster.map { String(describing: $0) } ?? "?")")
        out += "<text x=\"\(left)\" y=\"43\" font-size=\"12\" fill=\"#444444\">\(escape(facts.joined(separator: " · ")))</text>\n"
        return out
    }

    private func legend() -> String {
        var items: [(String, String)] = [("#1f77b4", "writes acknowledged (writer via sentinels)")]
        if report.splitBrainBuckets != nil { items.append(("#ff7f0e", "split-brain writer (old master)")) }
        if report.lost.lost.count + (report.splitBrainLost?.lost.count ?? 0) > 0 { items.append(("#b2182b", "acknowledged, then lost")) }
        items += [("#d62728", "fault"), ("#2ca02c", "drill repair"), ("#8c564b", "drill step"), ("#6a3d9a", "+switch-master"), ("#888888", "sentinel event")]
        var out = ""
        var cursor = left
        for (colour, label) in items {
            let textWidth = Double(label.count) * 6.2
            defer { cursor += textWidth + 28 }
            out += "<rect x=\"\(fmt(cursor))\" y=\"52\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(fmt(cursor + 14))\" y=\"61\" font-size=\"11\" fill=\"#333333\">\(escape(label))</text>\n"
        }
        return out
    }

    private func axes() -> String {
        var out = "<rect x=\"\(left)\" y=\"\(chartTop)\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(chartBottom - chartTop))\" fill=\"#fafafa\" stroke=\"#cccccc\"/>\n"
        let span = Double(end - start) / 1e9
        let step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300].first { span / $0 <= 16 } ?? 600
        let stepNanos = Int64(step * 1e9)
        var tick = Int64((Double(start) / Double(stepNanos)).rounded(.up)) * stepNanos
        while tick <= end {
            let px = x(tick)
            out += "<line x1=\"\(fmt(px))\" y1=\"\(chartTop)\" x2=\"\(fmt(px))\" y2=\"\(chartBottom + 4)\" stroke=\"#e2e2e2\"/>"
            let seconds = Double(tick) / 1e9
            let label = tick == 0 ? "0" : (seconds > 0 ? "+" : "") + trimmed(seconds) + " s"
            out += "<text x=\"\(fmt(px))\" y=\"\(chartBottom + 17)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333333\">\(escape(label))</text>\n"
            tick += stepNanos
        }
        out += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(chartBottom + 36)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">seconds relative to the fault</text>\n"
        let top = maxCount
        out += "<text x=\"\(left - 6)\" y=\"\(chartTop + 10)\" font-size=\"11\" text-anchor=\"end\" fill=\"#333333\">\(top)</text>"
        out += "<text x=\"\(left - 6)\" y=\"\(chartBottom)\" font-size=\"11\" text-anchor=\"end\" fill=\"#333333\">0</text>\n"
        let middle = (chartTop + chartBottom) / 2
        out += "<text x=\"16\" y=\"\(fmt(middle))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333333\" transform=\"rotate(-90 16 \(fmt(middle)))\">acks / 100 ms</text>\n"
        return out
    }

    private var maxCount: Int {
        let writer = report.buckets.counts
        let split = report.splitBrainBuckets
        var best = 1
        for (offset, count) in writer.enumerated() {
            best = max(best, count + (split?.count(at: report.buckets.firstIndex + offset) ?? 0))
        }
        return best
    }

    private func gaps() -> String {
        var out = ""
        for fault in report.faults {
            guard let gap = fault.unavailability, gap.duration > 0 else { continue }
            let x1 = x(gap.start), x2 = x(gap.end)
            out += "<rect x=\"\(fmt(x1))\" y=\"\(chartTop)\" width=\"\(fmt(max(1, x2 - x1)))\" height=\"\(fmt(chartBottom - chartTop))\" fill=\"#d62728\" fill-opacity=\"0.10\"/>"
            let label = "unavailable \(formatDuration(gap.duration)) s" + (gap.isOpen ? "+" : "")
            let anchorRight = x2 + Double(label.count) * 6.5 > width - right
            out += "<text x=\"\(fmt(anchorRight ? x1 - 4 : x2 + 4))\" y=\"\(chartTop + 14)\" font-size=\"11\" fill=\"#b71c1c\" text-anchor=\"\(anchorRight ? "end" : "start")\">\(escape(label))</text>\n"
        }
        return out
    }

    private func bars() -> String {
        var out = ""
        let scale = (chartBottom - chartTop - 20) / Double(maxCount)
        let first = report.buckets.firstIndex
        let split = report.splitBrainBuckets
        let lastIndex = first + max(report.buckets.counts.count, split?.counts.count ?? 0) - 1
        guard lastIndex >= first else { return out }
        for index in first...lastIndex {
            let x1 = x(Int64(index) * WriteBuckets.width) + 0.5
            let x2 = x(Int64(index + 1) * WriteBuckets.width) - 0.5
            let barWidth = fmt(max(0.8, x2 - x1))
            let ownLost = report.lostBuckets.count(at: index)
            let otherLost = report.splitBrainLostBuckets?.count(at: index) ?? 0
            // Stacked from the axis up: the writer's kept acks, the split-brain writer's kept acks, then every lost ack.
            var base = chartBottom
            for (count, colour) in [(report.buckets.count(at: index) - ownLost, "#1f77b4"),
                                    ((split?.count(at: index) ?? 0) - otherLost, "#ff7f0e"),
                                    (ownLost + otherLost, "#b2182b")] where count > 0 {
                let h = Double(count) * scale
                out += "<rect x=\"\(fmt(x1))\" y=\"\(fmt(base - h))\" width=\"\(barWidth)\" height=\"\(fmt(h))\" fill=\"\(colour)\"/>"
                base -= h
            }
        }
        return out + "\n"
    }

    /// One upright label and line per drill step and sentinel event.
    struct Marker {
        var time: Int64
        var label: String
        var colour: String
        var strokeWidth: Double
        var bold: Bool
    }

    var markerList: [Marker] {
        report.timeline.compactMap { entry in
            switch entry.kind {
            case .writer:
                return nil
            case .fault:
                return Marker(time: entry.time, label: "FAULT " + actionLabel(entry.text), colour: "#d62728", strokeWidth: 2.5, bold: true)
            case .step:
                return Marker(time: entry.time, label: actionLabel(entry.text), colour: "#8c564b", strokeWidth: 1.5, bold: false)
            case .recovery:
                return Marker(time: entry.time, label: actionLabel(entry.text), colour: "#2ca02c", strokeWidth: 1.5, bold: false)
            case .sentinel:
                guard isChartedEvent(entry.text) else { return nil }
                let isSwitch = entry.text.hasPrefix("+switch-master")
                return Marker(time: entry.time, label: shortEventLabel(entry.text) + " [\(entry.source)]",
                              colour: isSwitch ? "#6a3d9a" : "#888888", strokeWidth: isSwitch ? 2 : 1, bold: isSwitch)
            }
        }
    }

    /// Label positions: at the marker's time, pushed apart to `labelSpacing`.
    func labelPositions(_ markers: [Marker]) -> [Double] {
        var positions = markers.map { x($0.time) + 4 }
        for i in positions.indices.dropFirst() { positions[i] = max(positions[i], positions[i - 1] + labelSpacing) }
        let limit = width - right - 2
        if let last = positions.indices.last, positions[last] > limit {
            positions[last] = limit
            for i in positions.indices.dropLast().reversed() { positions[i] = min(positions[i], positions[i + 1] - labelSpacing) }
        }
        return positions
    }

    /// The marker lines: from the label down a leader to the true time, then through the chart.
    private func markerLines(_ list: [Marker], _ positions: [Double], front: Bool) -> String {
        var out = ""
        for (marker, labelX) in zip(list, positions) where (marker.colour == "#d62728") == front {
            let lineX = x(marker.time)
            out += "<polyline points=\"\(fmt(labelX - 4)),\(fmt(labelBase + 2)) \(fmt(lineX)),\(fmt(chartTop)) \(fmt(lineX)),\(fmt(chartBottom))\" fill=\"none\" stroke=\"\(marker.colour)\" stroke-width=\"\(marker.strokeWidth)\" stroke-opacity=\"\(front ? "0.9" : "0.6")\"/>\n"
        }
        return out
    }

    private func markerLabels(_ list: [Marker], _ positions: [Double]) -> String {
        var out = ""
        for (marker, labelX) in zip(list, positions) {
            let text = marker.label.count > maxLabelCharacters ? String(marker.label.prefix(maxLabelCharacters - 1)) + "…" : marker.label
            out += "<text x=\"\(fmt(labelX))\" y=\"\(fmt(labelBase))\" font-size=\"10\" fill=\"\(marker.colour)\"\(marker.bold ? " font-weight=\"bold\"" : "") transform=\"rotate(-90 \(fmt(labelX)) \(fmt(labelBase)))\">\(escape(text))</text>\n"
        }
        return out
    }
}

/// True for the sentinel events the chart shows (see the file header).
func isChartedEvent(_ text: String) -> Bool {
    let words = text.split(separator: " ", maxSplits: 2)
    guard let name = words.first else { return false }
    if words.count > 1 && words[1] == "sentinel" { return false }
    let charted: Set<Substring> = ["+sdown", "-sdown", "+odown", "-odown", "+try-failover", "+elected-leader", "+selected-slave",
                                   "+promoted-slave", "+switch-master", "+convert-to-slave", "+failover-end", "+failover-end-for-timeout",
                                   "+tilt", "-tilt", "+fix-slave-config"]
    return charted.contains(name) || name.hasPrefix("-failover-abort")
}

/// A drill step's text for a label: `127.0.0.1:` shortened, the pid left out.
func actionLabel(_ text: String) -> String {
    var out = compact(text)
    while let open = out.firstRange(of: "(pid "), let close = out[open.upperBound...].firstIndex(of: ")") {
        var start = open.lowerBound
        if start > out.startIndex, out[out.index(before: start)] == " " { start = out.index(before: start) }
        out.removeSubrange(start...close)
    }
    return out
}

/// A sentinel event shortened for a label: `+sdown master :6379`,
/// `+switch-master :6379 → :6380`; the `@ master` suffix is dropped.
public func shortEventLabel(_ text: String) -> String {
    let body = text.split(separator: " @ ", maxSplits: 1).first.map(String.init) ?? text
    var words = body.split(separator: " ").map(String.init)
    guard let channel = words.first else { return text }
    words.removeFirst()
    if channel == "+switch-master", words.count == 5 {
        return "+switch-master :\(words[2]) → :\(words[4])"
    }
    if words.count >= 4, ["master", "slave", "sentinel"].contains(words[0]) {
        let kind = words[0] == "slave" ? "replica" : words[0]
        let rest = words.dropFirst(4).joined(separator: " ")
        return "\(channel) \(kind) :\(words[3])" + (rest.isEmpty ? "" : " " + rest)
    }
    return ([channel] + words).joined(separator: " ")
}

/// Drill action text with `127.0.0.1:` shortened to `:`.
func compact(_ text: String) -> String {
    text.replacing("127.0.0.1:", with: ":")
}

/// Escapes XML's special characters.
func escape(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(character)
        }
    }
    return out
}

/// A coordinate with one decimal.
func fmt(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    let whole = Int(tenths / 10)
    let fraction = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
    return fraction == 0 ? String(whole) : "\(tenths < 0 && whole == 0 ? "-" : "")\(whole).\(fraction)"
}

/// A tick value without trailing zeros ("0.5", "2").
func trimmed(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
