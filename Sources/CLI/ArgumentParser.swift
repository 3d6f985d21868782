// ArgumentParser.swift — reads vigil-cli's command line the way redis-cli
// 7.0's parseOptions does:
//
//   1. Options come first; the first argument not starting with '-' starts
//      the command, and everything from there on belongs to it.
//   2. An option that takes a value consumes the next argument; when it is
//      the last argument it is "Unrecognized option or bad number of args"
//      (except a lone trailing -h, which prints the usage).
//   3. Numbers are read like C's atoi/strtoll/atof: leading digits count,
//      the rest is ignored, no digits means 0.
//   4. -a (or a password in -u) warns on stderr that it may not be safe,
//      unless --no-auth-warning; REDISCLI_AUTH supplies a password silently.

import RESP

/// What the command line asks for.
public enum CLIInvocation: Equatable, Sendable {
    /// Connect and run (a command, or the prompt). `warnings` go to stderr first.
    case run(CLIOptions, warnings: [String])
    /// Print the usage text to stdout and exit 0.
    case help
    /// Print the version line to stdout and exit 0.
    case version
    /// Print `message` to stderr and exit 1.
    case failure(String)
}

/// The text of the -a warning, exactly redis-cli's.
public let passwordWarning = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe."

/// Parses the arguments after the program name. `environment` supplies
/// REDISCLI_AUTH.
public func parseArguments(_ arguments: [String], environment: [String: String] = [:]) -> CLIInvocation {
    var options = CLIOptions()
    var warnings: [String] = []
    var resp2 = false
    var i = 0
    while i < arguments.count {
        let arg = arguments[i]
        let hasValue = i + 1 < arguments.count
        func value() -> String {
            i += 1
            return arguments[i]
        }
        switch arg {
        case "-h" where hasValue: options.host = value()
        case "-h", "--help": return .help
        case "-v", "--version": return .version
        case "-x": options.lastArgumentFromStandardInput = true
        case "-p" where hasValue: options.port = Int(clamping: leadingInteger(value()))
        case "-r" where hasValue: options.repeatCount = leadingInteger(value())
        case "-i" where hasValue:
            let micros = leadingDouble(value()) * 1_000_000
            options.intervalMicroseconds = micros >= 1 && micros < 1e15 ? Int64(micros) : 0
        case "-n" where hasValue: options.database = Int(Int32(clamping: leadingInteger(value())))
        case "--no-auth-warning": options.noAuthWarning = true
        case "-a" where hasValue, "--pass" where hasValue: options.password = value()
        case "--user" where hasValue: options.user = value()
        case "-u" where hasValue:
            switch parseRedisURI(value()) {
            case .success(let uri): uri.apply(to: &options)
            case .failure(let error): return .failure(error.message)
            }
        case "--raw": options.outputMode = .raw
        case "--no-raw": options.outputMode = .standard
        case "-d" where hasValue: options.elementDelimiter = Array(value().utf8)
        case "-D" where hasValue: options.replyDelimiter = Array(value().utf8)
        case "-e": options.exitOnErrorReply = true
        case "-2": resp2 = true
        case "-3": options.resp3 = true
        case "--show-pushes" where hasValue:
            let choice = value()
            switch choice.first {
            case "n", "N": options.showPushes = false
            case "y", "Y": options.showPushes = true
            default: warnings.append("Unknown --show-pushes value '\(choice)' (valid: '[y]es', '[n]o')")
            }
        default:
            if arg.hasPrefix("-") {
                return .failure("Unrecognized option or bad number of args for: '\(arg)'")
            }
            options.command = Array(arguments[i...])
            i = arguments.count
            continue
        }
        i += 1
    }
    if resp2 && options.resp3 { return .failure("Options -2 and -3 are mutually exclusive.") }
    if options.password != nil && !options.noAuthWarning { warnings.append(passwordWarning) }
    if options.password == nil, let fromEnvironment = environment["REDISCLI_AUTH"] {
        options.password = fromEnvironment
    }
    return .run(options, warnings: warnings)
}

/// C `strtoll(s, NULL, 10)`: optional blanks and sign, then digits; saturates.
func leadingInteger(_ text: String) -> Int64 {
    var bytes = Substring(text).utf8.drop { $0 == 0x20 || (0x09...0x0d).contains($0) }
    var negative = false
    if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
        negative = sign == UInt8(ascii: "-")
        bytes = bytes.dropFirst()
    }
    var value: Int64 = 0
    for b in bytes {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { break }
        let digit = Int64(b - UInt8(ascii: "0"))
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
        if o1 || o2 { return negative ? .min : .max }
        value = s
    }
    return value
}

/// C `atof`: the longest leading prefix that reads as a decimal number, else 0.
func leadingDouble(_ text: String) -> Double {
    let trimmed = Substring(text).drop { $0 == " " || $0 == "\t" }
    let candidate = trimmed.prefix { "0123456789+-.eE".contains($0) }
    var end = candidate.endIndex
    while end > candidate.startIndex {
        if let d = Double(candidate[..<end]) { return d }
        end = candidate.index(before: end)
    }
    return 0
}
