// DrillMain.swift — `vigil-drill SCENARIO [options]`: for each scenario,
// build the cluster's layout (own ports and directory, or scripts/cluster's),
// run the drill, compute the report, write the SVG, print the table (or
// JSON), and exit 0 when every check passed, 1 when one failed, 2 on a usage
// or set-up error.
//
// Invariants: progress goes to stderr, the report to stdout; an interrupt
// (SIGINT/SIGTERM) SIGKILLs the processes of the drill's own cluster before
// exiting, so no drill cluster outlives the drill.

import Foundation
import Glibc
import Synchronization

/// Runs vigil-drill; returns the exit status.
public func runDrill(arguments: [String], environment: [String: String]) -> Int32 {
    let options: DrillOptions
    switch parseDrillArguments(arguments, environment: environment) {
    case .help:
        writeOutput(drillUsage + "\n")
        return 0
    case .usage(let message):
        writeError("vigil-drill: \(message)\n\(drillUsage)\n")
        return 2
    case .run(let parsed):
        options = parsed
    }

    let binaries: ClusterBinaries
    switch options.backend {
    case .vigil:
        switch ClusterBinaries.vigil(in: options.binDirectory ?? executableDirectory()) {
        case .success(let found): binaries = found
        case .failure(let failure): writeError("vigil-drill: \(failure)\n"); return 2
        }
    case .redis:
        switch ClusterBinaries.redis(path: environment["PATH"] ?? "/usr/bin:/bin") {
        case .success(let found): binaries = found
        case .failure(let failure): writeError("vigil-drill: \(failure)\n"); return 2
        }
    }

    let cleanup = InterruptCleanup()
    let signals = cleanup.install()
    defer { withExtendedLifetime(signals) {} }

    let outputDirectory = absolutePath(options.directory == ".drill" && options.backend == .redis ? ".drill/redis" : options.directory)
    var reports: [DrillReport] = []
    var setUpFailed = false
    for scenario in options.scenarios {
        let progress: (String) -> Void = { writeError("drill[\(scenario.rawValue)]: \($0)\n") }
        let layout: ClusterLayout
        if options.attach {
            layout = ClusterLayout.attached(options.attached, absoluteDirectory: absolutePath(options.attached.directory))
        } else {
            switch freePortBlock(count: 6, preferred: options.basePort) {
            case .failure(let failure):
                writeError("vigil-drill: \(failure)\n")
                setUpFailed = true
                continue
            case .success(let base):
                layout = ClusterLayout(directory: "\(outputDirectory)/\(scenario.rawValue)", nodePorts: Array(base..<(base + 3)),
                                       sentinelPorts: Array((base + 3)..<(base + 6)), downAfterMilliseconds: options.downAfterMilliseconds,
                                       failoverTimeoutMilliseconds: options.failoverTimeoutMilliseconds)
            }
        }
        let control = ClusterControl(layout: layout, binaries: binaries, owned: !options.attach)
        if control.owned { cleanup.register(layout) }
        defer { cleanup.unregister(layout) }
        let context = ScenarioContext(scenario: scenario, options: options, control: control, progress: progress)
        let observations: Observations
        do {
            observations = try context.run()
        } catch {
            writeError("vigil-drill: \(scenario.rawValue): \(error)\n")
            setUpFailed = true
            continue
        }
        var report = DrillReport(observations)
        let svgPath = svgPath(for: scenario, options: options, outputDirectory: outputDirectory)
        do {
            try FileManager.default.createDirectory(atPath: (svgPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try report.svg.write(toFile: svgPath, atomically: true, encoding: .utf8)
            report.svgPath = svgPath
        } catch {
            writeError("vigil-drill: cannot write \(svgPath): \(error.localizedDescription)\n")
        }
        reports.append(report)
        if !options.json {
            writeOutput(report.text + "\n")
        }
    }

    if options.json {
        if options.scenarios.count == 1, let only = reports.first {
            writeOutput(only.json.prettyText + "\n")
        } else {
            writeOutput(drillJSON(reports).prettyText + "\n")
        }
    } else if reports.count > 1 {
        writeOutput(drillSummary(reports))
    }
    if setUpFailed { return 2 }
    return reports.allSatisfy(\.passed) ? 0 : 1
}

/// `--svg PATH` (with the scenario inserted before the extension for `all`),
/// else DIR/drill-SCENARIO.svg.
func svgPath(for scenario: Scenario, options: DrillOptions, outputDirectory: String) -> String {
    guard let path = options.svgPath else { return "\(outputDirectory)/drill-\(scenario.rawValue).svg" }
    let absolute = absolutePath(path)
    guard options.scenarios.count > 1 else { return absolute }
    let url = URL(fileURLWithPath: absolute)
    let stem = url.deletingPathExtension().path
    let ext = url.pathExtension.isEmpty ? "svg" : url.pathExtension
    return "\(stem)-\(scenario.rawValue).\(ext)"
}

/// `path` made absolute against the working directory.
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// The directory of the running executable (where vigil-server and sentinel are built).
func executableDirectory() -> String {
    let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? "."
    return (absolutePath(resolved) as NSString).deletingLastPathComponent
}

/// Writes to stdout (unbuffered, so the table and the progress lines interleave in order).
func writeOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes to stderr.
func writeError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// Kills the drill's own clusters when the drill is interrupted.
final class InterruptCleanup: Sendable {
    private let layouts = Mutex<[ClusterLayout]>([])

    func register(_ layout: ClusterLayout) { layouts.withLock { $0.append(layout) } }

    func unregister(_ layout: ClusterLayout) { layouts.withLock { $0.removeAll { $0 == layout } } }

    /// Routes SIGINT and SIGTERM to `interrupted`; keep the returned sources alive.
    func install() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in interrupted(number) }
            source.resume()
            return source
        }
    }

    private func interrupted(_ number: Int32) {
        for layout in layouts.withLock({ $0 }) {
            for member in layout.members {
                guard let text = try? String(contentsOfFile: layout.pidPath(member), encoding: .utf8),
                      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), processRuns(pid) else { continue }
                kill(pid, SIGKILL)
            }
        }
        writeError("vigil-drill: interrupted; stopped the drill's cluster\n")
        exit(128 + number)
    }
}
