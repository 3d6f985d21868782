// SentinelVerbRunner.swift — runs one accepted verb against a sentinel and
// returns the exit code; what it prints goes through `SentinelOutput` so
// tests can capture it and inject canned replies through `connect`.
//
// Rules:
//   1. failover: "+OK" prints OK (exit 0); an error reply goes to stderr
//      (exit 1, or 3 for an unknown master).
//   2. ckquorum: the reply text goes to stdout; exit 0 when it starts with
//      "OK", else 1 (3 for an unknown master, printed on stderr).
//   3. reset: the integer count goes to stdout.
//   4. With --json each verb prints one JSON document instead.

import CLI

import RESP

/// Where a verb writes; each call gets whole lines ending in "\n".
struct SentinelOutput {
    /// Standard output.
    var standardOutput: (String) -> Void
    /// Standard error.
    var standardError: (String) -> Void
}

/// Runs verbs for one parsed command line.
struct SentinelVerbRunner {
    /// The parsed options.
    let options: SentinelCLIOptions
    /// Opens a conversation with the sentinel.
    let connect: () throws(SentinelCLIFailure) -> SentinelCalling
    /// Where text goes.
    let output: SentinelOutput
    /// How status text is drawn.
    var renderer = StatusTextRenderer()

    /// Connects, runs `verb` once, prints, and returns the exit code.
    func run(_ verb: SentinelVerb) -> Int32 {
        do {
            let sentinel = try connect()
            return try perform(verb, on: sentinel)
        } catch {
            output.standardError(error.message + "\n")
            return error.exitCode
        }
    }

    /// Runs `verb` on an open conversation. Failures throw; verdicts a
    /// script branches on (a failed CKQUORUM) return their exit code.
    func perform(_ verb: SentinelVerb, on sentinel: SentinelCalling) throws(SentinelCLIFailure) -> Int32 {
        switch verb {
        case .status(let master):
            output.standardOutput(try statusText(master: master, on: sentinel))
            return 0
        case .failover(let master):
            let reply = try sentinel.call(["SENTINEL", "FAILOVER", master])
            if case .error(let text) = reply { throw .fromErrorReply(text) }
            let text = reply.string ?? "OK"
            print(json: .object([("ok", .bool(true)), ("reply", .string(text))]), orText: text)
            return 0
        case .ckquorum(let master):
            let text: String
            switch try sentinel.call(["SENTINEL", "CKQUORUM", master]) {
            case .error(let message):
                if message.contains("No such master") { throw .unknownMaster(message) }
                text = message
            case let reply:
                guard let message = reply.string else { throw .unexpectedReply(command: "SENTINEL CKQUORUM") }
                text = message
            }
            let ok = text.hasPrefix("OK")
            print(json: .object([("ok", .bool(ok)), ("message", .string(text))]), orText: text)
            return ok ? 0 : 1
        case .reset(let pattern):
            let reply = try sentinel.call(["SENTINEL", "RESET", pattern])
            if case .error(let text) = reply { throw .errorReply(text) }
            guard case .integer(let count) = reply.withoutAttributes else {
                throw .unexpectedReply(command: "SENTINEL RESET")
            }
            print(json: .object([("reset", .integer(count))]), orText: String(count))
            return 0
        }
    }

    /// The status report for `master` (or all), rendered as text or JSON.
    func statusText(master: String?, on sentinel: SentinelCalling) throws(SentinelCLIFailure) -> String {
        let report = try StatusCollector(sentinel: sentinel, address: options.address).collect(master: master)
        return options.json ? statusJSON(report).text + "\n" : renderer.render(report)
    }

    private func print(json: JSONValue, orText text: String) {
        output.standardOutput((options.json ? json.text : text) + "\n")
    }
}
