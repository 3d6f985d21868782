// CLIMain.swift — vigil-cli's entry point: parse the command line, then
// either run one command (exit 0, or 1 when the server cannot be reached)
// or the prompt loop, as redis-cli's main() does:
//
//   1. Output is the terminal format when stdout is a terminal (or FAKETTY
//      is set), raw otherwise; --raw / --no-raw override.
//   2. With a command: connect (failure: exit 1), append stdin as the last
//      argument with -x, run it -r times with -i pauses.
//   3. Without: connect (a failure is printed, the prompt still starts as
//      "not connected> "), then read lines from the terminal, or from stdin
//      without prompting when stdin is not a terminal. Exit 0 at the end.

import RESP

/// Runs vigil-cli with `arguments` (without the program name) and returns
/// the exit status.
public func runCLI(arguments: [String]) -> Int32 {
    let environment = Sys.environment()
    let console = Console()
    switch parseArguments(arguments, environment: environment) {
    case .help:
        console.write(usageText)
        console.flush()
        return 0
    case .version:
        console.write(versionLine)
        console.flush()
        return 0
    case .failure(let message):
        console.error(message)
        return 1
    case .run(let options, let warnings):
        for warning in warnings { console.error(warning) }
        do {
            let status = try run(options, environment: environment, console: console)
            console.flush()
            return status
        } catch {
            console.flush()
            return error.status
        }
    }
}

private func run(_ options: CLIOptions, environment: [String: String], console: Console) throws(CLIExit) -> Int32 {
    let stdoutIsTerminal = Sys.isTerminal(1) || environment["FAKETTY"] != nil
    let session = Session(options: options,
                          output: options.outputMode ?? (stdoutIsTerminal ? .standard : .raw),
                          showPushes: options.showPushes ?? stdoutIsTerminal,
                          console: console)
    if options.command.isEmpty {
        Sys.ignoreBrokenPipe()
        session.interactive = true
        session.connect()
        let reader: LineReader
        var history: History?
        if Sys.isTerminal(0) {
            let lines = History(path: History.path(environment: environment))
            history = lines
            let term = (environment["TERM"] ?? "").lowercased()
            reader = ["dumb", "cons25", "emacs"].contains(term)
                ? PlainLineReader(showsPrompt: true, console: console)
                : TerminalLineReader(history: lines, console: console)
        } else {
            reader = PlainLineReader(showsPrompt: false, console: console)
        }
        try runPromptLoop(session: session, reader: reader, history: history, console: console)
        return 0
    }
    guard session.connect() else { return 1 }
    var command = options.command.map { Array($0.utf8) }
    if options.lastArgumentFromStandardInput {
        switch Sys.readToEnd(0) {
        case .success(let input): command.append(input)
        case .failure(let failure):
            console.error("Reading from standard input: \(Sys.errorText(failure.code))")
            return 1
        }
    }
    return try session.issue(command, repeat: options.repeatCount) ? 0 : 1
}
