// DirectiveKind: the value syntaxes of redis.conf, each knowing how to parse
// arguments (with Redis's error texts), how CONFIG GET prints a value and how
// CONFIG REWRITE writes it back.
//
// Parsing rules worth knowing:
//   - Single-argument kinds get exactly one word (the loader enforces
//     "wrong number of arguments"); multi-argument kinds validate their own
//     count. CONFIG SET splits a multi-argument value on single spaces.
//   - `save` lines accumulate while loading files (several `save` lines make
//     several rules); `save ""` clears. CONFIG SET replaces the whole list.
//   - `client-output-buffer-limit` changes only the classes it names.
//   - `dir` is resolved against the previous `dir`, which is exactly what
//     Redis's successive chdir() calls do; values are always absolute.

/// Internal error carrying Redis's reason text for a rejected value.
struct ValueError: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The syntax of a directive's value.
enum DirectiveKind: Sendable {
    case bool
    case integer(min: Int, max: Int)
    case memory(min: Int, max: Int)
    case enumeration([String])
    /// `nullable`: the empty string means "not set" (omitted by REWRITE).
    case string(nullable: Bool)
    case directory
    case save
    case clientOutputBufferLimit
    case replicaOf
    case bind
    case keyspaceEvents
    case integerList(count: Int, min: Int, max: Int, error: String)
    case percentiles

    /// Kinds that take a variable number of words.
    var isMultiArgument: Bool {
        switch self {
        case .save, .clientOutputBufferLimit, .replicaOf, .bind, .integerList, .percentiles: return true
        case .bool, .integer, .memory, .enumeration, .string, .directory, .keyspaceEvents: return false
        }
    }

    // MARK: - Parsing

    /// Parses `args` (the words after the directive name).
    /// - Parameters:
    ///   - current: the value before this line (COBL merges into it, `dir`
    ///     resolves against it, `save` may append to it).
    ///   - appendSaveRules: true when a `save` line adds to earlier ones.
    func parse(_ args: [String], current: ConfigValue, appendSaveRules: Bool) throws(ValueError) -> ConfigValue {
        switch self {
        case .bool:
            switch ConfigNumbers.asciiLowercased(args[0]) {
            case "yes": return .bool(true)
            case "no": return .bool(false)
            default: throw ValueError("argument must be 'yes' or 'no'")
            }
        case .integer(let min, let max):
            guard let v = ConfigNumbers.parseInteger(args[0]) else {
                throw ValueError("argument couldn't be parsed into an integer")
            }
            guard v >= min && v <= max else { throw ValueError("argument must be between \(min) and \(max) inclusive") }
            return .integer(v)
        case .memory(let min, let max):
            guard let v = ConfigNumbers.parseMemory(args[0]) else { throw ValueError("argument must be a memory value") }
            guard v >= min && v <= max else { throw ValueError("argument must be between \(min) and \(max) inclusive") }
            return .integer(v)
        case .enumeration(let words):
            let w = ConfigNumbers.asciiLowercased(args[0])
            guard words.contains(w) else {
                throw ValueError("argument must be one of the following: " + words.joined(separator: ", "))
            }
            return .string(w)
        case .string:
            return .string(args[0])
        case .directory:
            guard !args[0].isEmpty else { throw ValueError("No such file or directory") }
            let base: String
            if case .string(let s) = current, s.hasPrefix("/") { base = s } else { base = "/" }
            return .string(ConfigPath.absolute(args[0], relativeTo: base))
        case .save:
            return try DirectiveKind.parseSave(args, current: current, append: appendSaveRules)
        case .clientOutputBufferLimit:
            return try DirectiveKind.parseOutputBufferLimits(args, current: current)
        case .replicaOf:
            guard args.count == 2 else { throw ValueError("wrong number of arguments") }
            if ConfigNumbers.asciiLowercased(args[0]) == "no" && ConfigNumbers.asciiLowercased(args[1]) == "one" {
                return .replicaOf(nil)
            }
            guard let port = ConfigNumbers.parseInteger(args[1]), port >= 0, port <= 65535 else {
                throw ValueError("Invalid master port")
            }
            return .replicaOf(ReplicaOf(host: args[0], port: port))
        case .bind:
            guard args.count <= 16 else { throw ValueError("Too many bind addresses specified.") }
            if args.count == 1 && args[0].isEmpty { return .words([]) }
            return .words(args)
        case .keyspaceEvents:
            guard let flags = KeyspaceEventFlags(letters: args[0]) else {
                throw ValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
            }
            return .string(flags.letters)
        case .integerList(let count, let min, let max, let error):
            guard args.count == count else { throw ValueError("wrong number of arguments") }
            var out: [Int] = []
            for a in args {
                guard let v = Int(a), v >= min, v <= max else { throw ValueError(error) }
                out.append(v)
            }
            return .integers(out)
        case .percentiles:
            if args.count == 1 && args[0].isEmpty { return .percentiles([]) }
            var out: [Double] = []
            for a in args {
                guard let v = Double(a), v.isFinite else {
                    throw ValueError("Invalid latency-tracking-info-percentiles parameters")
                }
                guard v >= 0 && v <= 100 else {
                    throw ValueError("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
                }
                out.append(v)
            }
            return .percentiles(out)
        }
    }

    /// `save <seconds> <changes> [<seconds> <changes> …]` or `save ""`.
    private static func parseSave(_ args: [String], current: ConfigValue, append: Bool) throws(ValueError) -> ConfigValue {
        var words = args
        if words.count == 1 && words[0].isEmpty { words = [] }
        guard words.count % 2 == 0 else { throw ValueError("Invalid save parameters") }
        var rules: [SaveRule] = []
        var i = 0
        while i < words.count {
            guard let seconds = Int(words[i]), seconds >= 1,
                  let changes = Int(words[i + 1]), changes >= 0 else {
                throw ValueError("Invalid save parameters")
            }
            rules.append(SaveRule(seconds: seconds, changes: changes))
            i += 2
        }
        if words.isEmpty { return .saveRules([]) }
        if append, case .saveRules(let existing) = current { return .saveRules(existing + rules) }
        return .saveRules(rules)
    }

    /// `client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]`.
    /// All groups are validated before any is applied.
    private static func parseOutputBufferLimits(_ args: [String], current: ConfigValue) throws(ValueError) -> ConfigValue {
        guard args.count % 4 == 0 else {
            throw ValueError("Wrong number of arguments in buffer limit configuration.")
        }
        var limits = ClientOutputBufferLimits.redisDefaults
        if case .outputBufferLimits(let existing) = current { limits = existing }
        var i = 0
        while i < args.count {
            guard let cls = ClientClass(name: args[i]) else {
                throw ValueError("Invalid client class specified in buffer limit configuration.")
            }
            guard let hard = ConfigNumbers.parseMemory(args[i + 1]),
                  let soft = ConfigNumbers.parseMemory(args[i + 2]),
                  let seconds = Int(args[i + 3]), seconds >= 0 else {
                throw ValueError("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
            }
            limits[cls] = ClientOutputBufferLimit(hardBytes: hard, softBytes: soft, softSeconds: seconds)
            i += 4
        }
        return .outputBufferLimits(limits)
    }

    // MARK: - CONFIG GET

    /// The value as CONFIG GET prints it.
    func format(_ value: ConfigValue) -> String {
        switch value {
        case .bool(let b): return b ? "yes" : "no"
        case .integer(let n): return String(n)
        case .string(let s): return s
        case .saveRules(let rules): return rules.map { "\($0.seconds) \($0.changes)" }.joined(separator: " ")
        case .outputBufferLimits(let l):
            return ClientClass.allCases.map { c in
                "\(c.getName) \(l[c].hardBytes) \(l[c].softBytes) \(l[c].softSeconds)"
            }.joined(separator: " ")
        case .replicaOf(let r): return r.map { "\($0.host) \($0.port)" } ?? ""
        case .words(let w): return w.joined(separator: " ")
        case .integers(let v): return v.map(String.init).joined(separator: " ")
        case .percentiles(let v): return v.map(ConfigNumbers.formatPercentile).joined(separator: " ")
        }
    }

    // MARK: - CONFIG REWRITE

    /// The lines CONFIG REWRITE writes for `value` under directive `name`.
    /// An empty result means "no line": the directive must be absent (an
    /// unset nullable string, `replicaof` on a master). When `explicit` is
    /// true a line is always produced, so that it can override an include.
    func rewriteLines(name: String, value: ConfigValue, explicit: Bool) -> [String] {
        switch (self, value) {
        case (.memory, .integer(let n)):
            return ["\(name) \(ConfigNumbers.formatMemory(n))"]
        case (.string(let nullable), .string(let s)):
            if nullable && s.isEmpty && !explicit { return [] }
            return ["\(name) \(ConfigTokenizer.quoted(s))"]
        case (.directory, .string(let s)), (.keyspaceEvents, .string(let s)):
            return ["\(name) \(ConfigTokenizer.quoted(s))"]
        case (.save, .saveRules(let rules)):
            if rules.isEmpty { return ["\(name) \"\""] }
            return rules.map { "\(name) \($0.seconds) \($0.changes)" }
        case (.clientOutputBufferLimit, .outputBufferLimits(let limits)):
            return ClientClass.allCases.map { DirectiveKind.outputBufferLine(name: name, cls: $0, limit: limits[$0]) }
        case (.replicaOf, .replicaOf(let r)):
            guard let r else { return explicit ? ["\(name) no one"] : [] }
            return ["\(name) \(ConfigTokenizer.quotedIfNeeded(r.host)) \(r.port)"]
        case (.bind, .words(let w)):
            if w.isEmpty { return ["\(name) \"\""] }
            return ["\(name) " + w.map { ConfigTokenizer.quotedIfNeeded($0) }.joined(separator: " ")]
        case (.percentiles, .percentiles(let v)):
            if v.isEmpty { return ["\(name) \"\""] }
            return ["\(name) " + v.map(ConfigNumbers.formatPercentile).joined(separator: " ")]
        default:
            return ["\(name) \(format(value))"]
        }
    }

    /// One `client-output-buffer-limit` line for one class.
    static func outputBufferLine(name: String, cls: ClientClass, limit: ClientOutputBufferLimit) -> String {
        "\(name) \(cls.rewriteName) \(ConfigNumbers.formatMemory(limit.hardBytes)) "
            + "\(ConfigNumbers.formatMemory(limit.softBytes)) \(limit.softSeconds)"
    }
}
