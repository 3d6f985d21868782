// SentinelArgumentParser.swift — turns the words after the program name into
// a `SentinelCommandLine`.
//
// Rules:
//   1. Options may appear anywhere, before or after the verb.
//   2. `--help` anywhere wins over everything else, even other mistakes.
//   3. `-h HOST`, `-p PORT`, `-a PASSWORD`, `--user USER` take the next word.
//   4. `--watch` takes the next word as its period only when that word is a
//      positive number, so `status --watch mymaster` watches mymaster.
//   5. The first remaining word is the verb; `status` takes an optional master
//      name, the other verbs exactly one operand.

/// The verbs this module runs (the lead's `main.swift` dispatches on these).
let sentinelCLIVerbs: Set<String> = ["status", "failover", "ckquorum", "reset"]

/// Parses `arguments` (program name excluded) per the rules above.
func parseSentinelCommandLine(_ arguments: [String]) -> Result<SentinelCommandLine, SentinelUsageError> {
    if arguments.contains("--help") { return .success(.help) }
    var options = SentinelCLIOptions()
    var watching = false
    var positional: [String] = []
    var index = 0

    func value(for option: String) -> Result<String, SentinelUsageError> {
        guard index + 1 < arguments.count else {
            return .failure(SentinelUsageError(message: "Option \(option) needs a value"))
        }
        index += 1
        return .success(arguments[index])
    }

    while index < arguments.count {
        let word = arguments[index]
        switch word {
        case "-h":
            switch value(for: word) {
            case .success(let host): options.host = host
            case .failure(let error): return .failure(error)
            }
        case "-p":
            switch value(for: word) {
            case .success(let text):
                guard let port = Int(text), (1...65535).contains(port) else {
                    return .failure(SentinelUsageError(message: "Invalid port: \(text)"))
                }
                options.port = port
            case .failure(let error): return .failure(error)
            }
        case "-a":
            switch value(for: word) {
            case .success(let password): options.password = password
            case .failure(let error): return .failure(error)
            }
        case "--user":
            switch value(for: word) {
            case .success(let user): options.user = user
            case .failure(let error): return .failure(error)
            }
        case "--json":
            options.json = true
        case "--watch":
            watching = true
            options.watchInterval = 1
            if index + 1 < arguments.count, let seconds = Double(arguments[index + 1]) {
                guard seconds > 0, seconds.isFinite else {
                    return .failure(SentinelUsageError(message: "Invalid --watch period: \(arguments[index + 1])"))
                }
                options.watchInterval = seconds
                index += 1
            }
        default:
            if word.count > 1, word.hasPrefix("-") {
                return .failure(SentinelUsageError(message: "Unrecognized option: \(word)"))
            }
            positional.append(word)
        }
        index += 1
    }

    guard let verbWord = positional.first else {
        return .failure(SentinelUsageError(message: "Missing command (status, failover, ckquorum or reset)"))
    }
    let operands = Array(positional.dropFirst())
    let verb: SentinelVerb
    switch verbWord {
    case "status":
        guard operands.count <= 1 else {
            return .failure(SentinelUsageError(message: "status takes at most one master name"))
        }
        if let name = operands.first, name.isEmpty {
            return .failure(SentinelUsageError(message: "The master name must not be empty"))
        }
        verb = .status(master: operands.first)
    case "failover", "ckquorum", "reset":
        let what = verbWord == "reset" ? "a pattern" : "a master name"
        guard operands.count == 1, let operand = operands.first, !operand.isEmpty else {
            return .failure(SentinelUsageError(message: "\(verbWord) needs exactly one argument: \(what)"))
        }
        switch verbWord {
        case "failover": verb = .failover(master: operand)
        case "ckquorum": verb = .ckquorum(master: operand)
        default: verb = .reset(pattern: operand)
        }
    default:
        return .failure(SentinelUsageError(message: "Unknown command: \(verbWord)"))
    }
    if watching, !verb.isStatus {
        return .failure(SentinelUsageError(message: "--watch only applies to status"))
    }
    return .success(.run(options, verb))
}
