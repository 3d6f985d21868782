// SentinelCLIMain.swift — the module's entry points: `runSentinelCLI` (called
// by the `sentinel` executable for the operator verbs) and the `--watch`
// loop. This file and SentinelLink are the only ones touching the process:
// stdout/stderr, isatty, sleeping.
//
// Invariants: usage errors exit 2 before any connection is made; `--watch`
// never returns on its own (Ctrl-C ends the process); in watch mode a
// failure is drawn on the screen and retried with a fresh connection.

import Foundation
import Glibc

/// True when `word` is an operator verb (`status`, `failover`, `ckquorum`,
/// `reset`), so `sentinel WORD ...` should go to `runSentinelCLI` instead of
/// starting the sentinel daemon.
public func isSentinelCLIVerb(_ word: String) -> Bool {
    sentinelCLIVerbs.contains(word)
}

/// Runs an operator verb. `arguments` are the words after the program name,
/// starting with the verb (options may come anywhere). Prints to stdout and
/// stderr and returns the process exit code: 0 ok, 1 sentinel unreachable /
/// auth failed / error reply, 2 usage error, 3 unknown master.
public func runSentinelCLI(arguments: [String]) -> Int32 {
    let output = SentinelOutput(standardOutput: writeStandardOutput, standardError: writeStandardError)
    switch parseSentinelCommandLine(arguments) {
    case .failure(let error):
        output.standardError("sentinel: \(error.message)\nTry 'sentinel --help' for more information.\n")
        return 2
    case .success(.help):
        output.standardOutput(sentinelUsageText)
        return 0
    case .success(.run(let options, let verb)):
        var runner = SentinelVerbRunner(options: options, connect: { () throws(SentinelCLIFailure) -> SentinelCalling in
            try SentinelLink.connect(options)
        }, output: output)
        runner.renderer.useColor = !options.json && isatty(STDOUT_FILENO) == 1
        if let interval = options.watchInterval, case .status(let master) = verb {
            watch(runner: runner, master: master, interval: interval)
        }
        return runner.run(verb)
    }
}

/// Redraws the status every `interval` seconds until the process is killed.
private func watch(runner: SentinelVerbRunner, master: String?, interval: Double) -> Never {
    var sentinel: SentinelCalling?
    while true {
        var screen = ""
        do throws(SentinelCLIFailure) {
            let live: SentinelCalling
            if let open = sentinel { live = open } else { live = try runner.connect() }
            sentinel = live
            screen = try runner.statusText(master: master, on: live)
        } catch {
            sentinel = nil
            screen = error.message + "\n"
        }
        if runner.options.json {
            runner.output.standardOutput(screen)
        } else {
            let stamp = formatLocalTime(unixMs: Int64(Date().timeIntervalSince1970 * 1000), timeZone: .current)
            runner.output.standardOutput("\u{1B}[H\u{1B}[2JEvery \(interval)s: sentinel status    \(stamp)\n\n" + screen)
        }
        sleepSeconds(interval)
    }
}

private func sleepSeconds(_ seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
}

private func writeStandardOutput(_ text: String) {
    writeAll(STDOUT_FILENO, text)
}

private func writeStandardError(_ text: String) {
    writeAll(STDERR_FILENO, text)
}

/// Writes all of `text`, retrying short writes and EINTR; gives up silently
/// on a closed pipe (there is nobody left to tell).
private func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer in
            Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
