// Repl.swift — the prompt loop (redis-cli's repl()), also used for commands
// piped into stdin. For each line:
//
//   1. Empty lines and lines of blanks are skipped; bad quoting prints
//      "Invalid argument(s)".
//   2. "N command ..." runs the command N times; N <= 0 prints
//      "Invalid redis-cli repeat command option value.".
//   3. Lines go to the history unless they carry a password (AUTH, ACL SETUSER).
//   4. quit / exit leave (exit 0, nothing is sent); ":set hints|nohints" is
//      accepted; "connect host port" switches servers; "clear" clears.
//   5. Anything else is sent; on a terminal a command that took 0.5 s or
//      more is followed by "(1.23s)".
// The loop ends at end of input (or ^C / ^D at the editor).

import RESP

/// Runs the prompt loop until quit or end of input.
func runPromptLoop(session: Session, reader: LineReader, history: History?, console: Console) throws(CLIExit) {
    while true {
        guard let line = reader.readLine(prompt: session.prompt) else { return }
        if line.isEmpty { continue }
        let parts = splitCommandLine(line)
        var count: Int64 = 1
        var skip = 0
        if let parts {
            switch repeatPrefix(of: parts) {
            case .none: break
            case .repeat(let n): (count, skip) = (n, 1)
            case .invalid:
                console.write("Invalid redis-cli repeat command option value.\n")
                continue
            }
        }
        let command = parts.map { Array($0[skip...]) }
        if let history, !(command.map(isSecretLine) ?? false) {
            history.add(String(decoding: line, as: UTF8.self))
        }
        guard let command else {
            console.write("Invalid argument(s)\n")
            continue
        }
        guard let first = command.first else { continue }
        let name = String(decoding: first, as: UTF8.self).lowercased()
        if skip == 0 && (name == "quit" || name == "exit") { return }
        if skip == 0 && first.first == UInt8(ascii: ":") {
            setPreference(command, console: console)
        } else if skip == 0 && name == "connect" && command.count == 3 {
            session.retarget(host: String(decoding: command[1], as: UTF8.self),
                             port: Int(clamping: leadingInteger(String(decoding: command[2], as: UTF8.self))))
            session.connect(force: true)
        } else if skip == 0 && name == "clear" && command.count == 1 {
            reader.clearScreen()
        } else {
            let started = Sys.monotonicMilliseconds()
            _ = try session.issue(command, repeat: count)
            let elapsed = Sys.monotonicMilliseconds() - started
            if elapsed >= 500 && session.printsStandard {
                let hundredths = (elapsed + 5) / 10
                let fraction = hundredths % 100
                console.write("(\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)s)\n")
            }
        }
        console.flush()
    }
}

/// ":set hints" and ":set nohints" are accepted (vigil-cli shows no hints);
/// anything else is reported like redis-cli does.
private func setPreference(_ command: [Bytes], console: Console) {
    let words = command.map { String(decoding: $0, as: UTF8.self) }
    if words[0].lowercased() == ":set" && words.count >= 2 {
        let what = words[1].lowercased()
        if what != "hints" && what != "nohints" {
            console.write("unknown redis-cli preference '\(words[1])'\n")
        }
    } else {
        console.write("unknown redis-cli internal command '\(words[0])'\n")
    }
}
