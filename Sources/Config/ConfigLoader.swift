// ConfigLoader: reads the main file (following includes), then standard
// input, then the command-line option lines, applying each directive to the
// directive table's values. Later lines win.
//
// Order and phases:
//   1. files  — the main file; `include` lines are expanded where they
//               appear. The values at the end of this phase are the "file
//               values" CONFIG REWRITE compares against.
//   2. stdin  — `vigil-server -`; like Redis, part of the same save-rule
//               accumulation as the files.
//   3. command line — "--name value" lines; the first `save` here replaces
//               the rules from the files instead of adding to them.
//
// Includes (Redis 7 semantics plus safety):
//   - A relative path is resolved against the directory of the including
//     file first, then against the process working directory. (Redis only
//     uses the working directory, which `dir` may have changed meanwhile.)
//   - A path with * ? or [ is a glob: matching files are read in sorted
//     order; no match is not an error (empty conf.d directories are fine).
//   - Nesting deeper than `maxIncludeDepth`, or a file including itself
//     directly or indirectly, is an error at the include line.
//
// Refusals (unsupported values such as `appendonly yes`) are checked once on
// the final values and reported at the line that set the value last.

struct ConfigLoader {
    /// Deepest include chain accepted (the main file is level 1).
    static let maxIncludeDepth = 16

    private enum Phase { case files, standardInput, commandLine }

    let mode: ConfigMode
    let files: FileAccess
    let workingDirectory: String
    var mainFile: String?

    var values: [ConfigValue]
    var fileValues: [ConfigValue]
    var lastSetter: [ConfigLine?]
    var setByInclude: Set<Int> = []
    var sentinelLines: [ConfigLine] = []
    var renamedCommands: [ConfigLine] = []
    var userLines: [ConfigLine] = []

    private var phase = Phase.files
    private var saveRulesSeen = false

    init(mode: ConfigMode, files: FileAccess, workingDirectory: String) {
        self.mode = mode
        self.files = files
        self.workingDirectory = workingDirectory
        let defaults = ConfigStore.defaultValues(mode: mode, workingDirectory: workingDirectory)
        self.values = defaults
        self.fileValues = defaults
        self.lastSetter = Array(repeating: nil, count: defaults.count)
    }

    // MARK: - Phases

    /// Phase 1: the main file and its includes.
    mutating func loadMainFile(_ path: String) throws(ConfigError) {
        let absolute = ConfigPath.absolute(path, relativeTo: workingDirectory)
        mainFile = absolute
        let text: String
        do {
            text = try files.readFile(absolute)
        } catch {
            throw .cannotOpen(path: absolute, reason: error.message)
        }
        try loadText(text, source: .file(absolute), directory: ConfigPath.directory(of: absolute), stack: [absolute])
    }

    /// Ends phase 1: remembers what the files alone produce.
    mutating func finishFiles() {
        fileValues = values
    }

    /// Phase 2: configuration piped on standard input.
    mutating func loadStandardInput() throws(ConfigError) {
        phase = .standardInput
        let text: String
        do {
            text = try files.readStandardInput()
        } catch {
            throw .cannotOpen(path: "-", reason: error.message)
        }
        try loadText(text, source: .standardInput, directory: workingDirectory, stack: [])
    }

    /// Phase 3: the lines generated from command-line options.
    mutating func loadCommandLine(_ lines: [String]) throws(ConfigError) {
        phase = .commandLine
        saveRulesSeen = false
        for (i, line) in lines.enumerated() {
            try apply(Substring(line), number: i + 1, source: .commandLine, directory: workingDirectory, stack: [])
        }
    }

    /// Final check: values Vigil refuses, reported where they were set.
    func checkRefusals() throws(ConfigError) {
        for (i, spec) in DirectiveRegistry.all.enumerated() {
            guard let refuse = spec.refuse, let reason = refuse(values[i]) else { continue }
            let line = lastSetter[i] ?? ConfigLine(source: .commandLine, number: 0, text: spec.name, words: [spec.name])
            throw .invalidLine(line, reason: reason)
        }
    }

    // MARK: - Lines

    private mutating func loadText(_ text: String, source: ConfigSource, directory: String,
                                   stack: [String]) throws(ConfigError) {
        for (i, raw) in ConfigText.lines(of: text).enumerated() {
            try apply(raw, number: i + 1, source: source, directory: directory, stack: stack)
        }
    }

    /// Applies one raw line. `stack` is the chain of files being read (for
    /// include cycle detection); `directory` resolves relative includes.
    private mutating func apply(_ raw: Substring, number: Int, source: ConfigSource, directory: String,
                                stack: [String]) throws(ConfigError) {
        let text = ConfigText.trimmed(raw)
        if ConfigText.isCommentOrBlank(text) { return }
        var words: [String]
        do {
            words = try ConfigTokenizer.split(text)
        } catch {
            throw .invalidLine(ConfigLine(source: source, number: number, text: String(text), words: []),
                               reason: "Unbalanced quotes in configuration line")
        }
        guard !words.isEmpty else { return }
        words[0] = ConfigNumbers.asciiLowercased(words[0])
        let line = ConfigLine(source: source, number: number, text: String(text), words: words)

        if let index = DirectiveRegistry.index(of: words[0]) {
            try applyDirective(index, line: line)
            return
        }
        let name = words[0]
        if DirectiveRegistry.ignoredObsolete.contains(name) && words.count == 2 { return }
        switch name {
        case "include" where words.count == 2:
            try include(words[1], line: line, directory: directory, stack: stack)
        case "rename-command" where words.count == 3:
            renamedCommands.append(line)
        case "user" where words.count >= 2:
            userLines.append(line)
        case "loadmodule" where words.count >= 2:
            throw .invalidLine(line, reason: "loadmodule is not supported: Vigil has no module API")
        case "sentinel":
            // A bare "sentinel" (from --sentinel) only selects the mode, as in Redis.
            if words.count == 1 { return }
            guard mode == .sentinel else {
                throw .invalidLine(line, reason: "sentinel directive while not in sentinel mode")
            }
            sentinelLines.append(line)
        default:
            throw .invalidLine(line, reason: "Bad directive or wrong number of arguments")
        }
    }

    private mutating func applyDirective(_ index: Int, line: ConfigLine) throws(ConfigError) {
        let spec = DirectiveRegistry.all[index]
        let args = Array(line.words.dropFirst())
        if spec.kind.isMultiArgument ? args.isEmpty : args.count != 1 {
            throw .invalidLine(line, reason: "wrong number of arguments")
        }
        do {
            let parsed = try spec.kind.parse(args, current: values[index], appendSaveRules: saveRulesSeen)
            values[index] = try spec.finish(parsed, checkRefusal: false)
        } catch {
            throw .invalidLine(line, reason: error.reason)
        }
        if case .save = spec.kind { saveRulesSeen = true }
        lastSetter[index] = line
        if phase == .files, case .file(let path) = line.source, path != mainFile {
            setByInclude.insert(index)
        }
    }

    // MARK: - Includes

    private mutating func include(_ target: String, line: ConfigLine, directory: String,
                                  stack: [String]) throws(ConfigError) {
        guard stack.count < ConfigLoader.maxIncludeDepth else {
            throw .invalidLine(line, reason: "include nesting is deeper than \(ConfigLoader.maxIncludeDepth) levels")
        }
        guard !target.isEmpty else {
            throw .invalidLine(line, reason: "include needs a file name")
        }
        let bases = target.hasPrefix("/") ? ["/"] : unique([directory, workingDirectory])

        if ConfigPath.hasWildcard(target) {
            for base in bases {
                let matches = files.glob(ConfigPath.absolute(target, relativeTo: base))
                guard !matches.isEmpty else { continue }
                for path in matches {
                    try includeFile(ConfigPath.normalize(path), line: line, stack: stack)
                }
                return
            }
            return  // No match: like Redis, an empty glob is not an error.
        }

        var firstError: FileAccessError?
        for base in bases {
            let path = ConfigPath.absolute(target, relativeTo: base)
            let text: String
            do {
                text = try files.readFile(path)
            } catch {
                if firstError == nil || !error.isNotFound { firstError = error }
                if error.isNotFound { continue }
                throw .invalidLine(line, reason: "can't open config file '\(path)': \(error.message)")
            }
            try checkCycle(path, line: line, stack: stack)
            try loadText(text, source: .file(path), directory: ConfigPath.directory(of: path), stack: stack + [path])
            return
        }
        let tried = bases.map { ConfigPath.absolute(target, relativeTo: $0) }.joined(separator: "' or '")
        throw .invalidLine(line, reason: "can't open config file '\(tried)': "
                           + (firstError?.message ?? "No such file or directory"))
    }

    private mutating func includeFile(_ path: String, line: ConfigLine, stack: [String]) throws(ConfigError) {
        try checkCycle(path, line: line, stack: stack)
        let text: String
        do {
            text = try files.readFile(path)
        } catch {
            throw .invalidLine(line, reason: "can't open config file '\(path)': \(error.message)")
        }
        try loadText(text, source: .file(path), directory: ConfigPath.directory(of: path), stack: stack + [path])
    }

    private func checkCycle(_ path: String, line: ConfigLine, stack: [String]) throws(ConfigError) {
        guard stack.contains(path) else { return }
        let chain = (stack + [path]).joined(separator: " -> ")
        throw .invalidLine(line, reason: "include cycle: \(chain)")
    }

    private func unique(_ paths: [String]) -> [String] {
        var out: [String] = []
        for p in paths where !out.contains(p) { out.append(p) }
        return out
    }
}
