// ConfigStore: the effective configuration of a node or sentinel — a value.
// Loaded once at start-up, passed around immutable, and changed only by
// CONFIG SET / REPLICAOF on the loop thread (`mutating` methods), so a copy
// handed to another thread is a consistent snapshot.
//
// Invariants:
//   - `values` has one entry per row of `DirectiveRegistry.all`, in order,
//     each valid for its directive (parsed, normalised, validated).
//   - `fileValues` is what the configuration file(s) on disk produce
//     (updated by a successful CONFIG REWRITE); REWRITE touches exactly the
//     directives where `values` and `fileValues` differ.
//   - `setByInclude` lists directives some included file sets; REWRITE
//     appends those at the end of the main file so they win over the include.

/// The effective configuration.
public struct ConfigStore: Sendable {
    /// Data node or sentinel.
    public let mode: ConfigMode
    /// The main configuration file, absolute; nil when started without one.
    public var configFilePath: String?
    /// In sentinel mode: every `sentinel …` line, in order, with location,
    /// for the sentinel module to interpret.
    public var sentinelLines: [ConfigLine]
    /// `rename-command <name> <new-name>` lines (the Node validates names).
    public var renamedCommands: [ConfigLine]
    /// `user …` ACL lines (as written by Redis's CONFIG REWRITE), kept for the Node.
    public var userLines: [ConfigLine]

    var values: [ConfigValue]
    var fileValues: [ConfigValue]
    var setByInclude: Set<Int>

    /// A configuration with every directive at its default (no file).
    public init(mode: ConfigMode = .server, workingDirectory: String = "/") {
        let defaults = ConfigStore.defaultValues(mode: mode, workingDirectory: workingDirectory)
        self.mode = mode
        self.configFilePath = nil
        self.sentinelLines = []
        self.renamedCommands = []
        self.userLines = []
        self.values = defaults
        self.fileValues = defaults
        self.setByInclude = []
    }

    private init(loader: ConfigLoader) {
        self.mode = loader.mode
        self.configFilePath = loader.mainFile
        self.sentinelLines = loader.sentinelLines
        self.renamedCommands = loader.renamedCommands
        self.userLines = loader.userLines
        self.values = loader.values
        self.fileValues = loader.fileValues
        self.setByInclude = loader.setByInclude
    }

    static func defaultValues(mode: ConfigMode, workingDirectory: String) -> [ConfigValue] {
        DirectiveRegistry.all.map { spec in
            if case .directory = spec.kind { return .string(ConfigPath.normalize(workingDirectory)) }
            return spec.defaultValue(for: mode)
        }
    }

    // MARK: - Loading

    /// Loads the configuration: the file at `path` (following includes),
    /// then standard input if `overrides` asks for it with "-", then the
    /// command-line options in `overrides` (the arguments after the file,
    /// e.g. `["--port", "6380", "--save", ""]`). Later lines win.
    /// - Throws: `ConfigError` with file, line number, line text and reason.
    public static func load(path: String?, overrides: [String], mode: ConfigMode,
                            files: FileAccess = .system) throws(ConfigError) -> ConfigStore {
        let (lines, stdin) = CommandLineOptions.lines(fromOptions: overrides, configFileGiven: path != nil)
        return try load(path: path, readStandardInput: stdin, optionLines: lines, mode: mode, files: files)
    }

    /// Loads from the raw arguments after the program name, as
    /// `vigil-server [file] [--name value …] [-]` receives them.
    public static func load(arguments: [String], mode: ConfigMode,
                            files: FileAccess = .system) throws(ConfigError) -> ConfigStore {
        let parsed = CommandLineOptions.parse(arguments)
        return try load(path: parsed.configFile, readStandardInput: parsed.readStandardInput,
                        optionLines: parsed.lines, mode: mode, files: files)
    }

    private static func load(path: String?, readStandardInput: Bool, optionLines: [String], mode: ConfigMode,
                             files: FileAccess) throws(ConfigError) -> ConfigStore {
        var loader = ConfigLoader(mode: mode, files: files, workingDirectory: files.currentDirectory())
        if let path { try loader.loadMainFile(path) }
        loader.finishFiles()
        if readStandardInput { try loader.loadStandardInput() }
        try loader.loadCommandLine(optionLines)
        try loader.checkRefusals()
        return ConfigStore(loader: loader)
    }

    // MARK: - Reading values

    /// The value of a directive by name or alias; nil for unknown names.
    public func value(_ name: String) -> ConfigValue? {
        DirectiveRegistry.index(of: name).map { values[$0] }
    }

    /// The value as CONFIG GET prints it. `name` must be a known directive.
    public func string(_ name: String) -> String {
        let i = ConfigStore.index(name)
        return DirectiveRegistry.all[i].kind.format(values[i])
    }

    /// An integer directive. `name` must be a known integer directive.
    public func int(_ name: String) -> Int {
        guard case .integer(let n) = values[ConfigStore.index(name)] else {
            preconditionFailure("config directive \(name) is not an integer")
        }
        return n
    }

    /// A memory-size directive in bytes. `name` must be a known memory directive.
    public func bytes(_ name: String) -> Int { int(name) }

    /// A yes/no directive. `name` must be a known boolean directive.
    public func bool(_ name: String) -> Bool {
        guard case .bool(let b) = values[ConfigStore.index(name)] else {
            preconditionFailure("config directive \(name) is not yes/no")
        }
        return b
    }

    static func index(_ name: String) -> Int {
        guard let i = DirectiveRegistry.index(of: name) else {
            preconditionFailure("unknown config directive \(name)")
        }
        return i
    }
}
