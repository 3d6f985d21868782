// CommandLineOptions: turns `vigil-server [file] [options]` arguments into
// configuration lines applied after the file, exactly like Redis's main():
//
//   1. The first argument is the config file unless it starts with '-'.
//   2. A lone "-" as the first or last argument means "also read
//      configuration from standard input" (after the file, before options).
//   3. "--name" starts a new line "name"; following arguments that do not
//      start with "--" are appended, quoted (so values with spaces or empty
//      values survive): `--save ""` → `save ""`, `--replicaof h 6379` →
//      `replicaof "h" "6379"`.
//   4. After an option name with no value yet, the next argument is taken as
//      its value even if it starts with "--".
//   5. `--save` directly followed by another "--option" (or last) means
//      `save ""`; a bare `--sentinel` is a flag with no value.
//   6. "--name value" given as one argument is a complete line.

/// Parsing of the server's command-line arguments into config lines.
public enum CommandLineOptions {
    /// The parsed command line.
    public struct Parsed: Equatable, Sendable {
        /// The config file argument, if any (as given, maybe relative).
        public var configFile: String?
        /// Configuration lines generated from "--name value" options.
        public var lines: [String]
        /// True when "-" asked to read configuration from standard input.
        public var readStandardInput: Bool
    }

    /// Splits the arguments after the program name.
    public static func parse(_ arguments: [String]) -> Parsed {
        var configFile: String?
        var rest = arguments[...]
        if let first = rest.first, !first.hasPrefix("-") {
            configFile = first
            rest = rest.dropFirst()
        }
        let (lines, stdin) = lines(fromOptions: Array(rest), configFileGiven: configFile != nil)
        return Parsed(configFile: configFile, lines: lines, readStandardInput: stdin)
    }

    /// Turns the options after the config file into lines (see file header).
    public static func lines(fromOptions options: [String], configFileGiven: Bool) -> (lines: [String], readStandardInput: Bool) {
        var lines: [String] = []
        var current: String?
        var readStdin = false
        var handledLast = true
        let last = options.count - 1
        for (k, arg) in options.enumerated() {
            if arg == "-" && ((k == 0 && !configFileGiven) || k == last) {
                readStdin = true
            } else if handledLast && arg.hasPrefix("--") {
                if let line = current { lines.append(line) }
                var line = String(arg.dropFirst(2)) + " "
                let words = (try? ConfigTokenizer.split(arg)) ?? []
                if words.count == 1 {
                    handledLast = false
                    let name = ConfigNumbers.asciiLowercased(arg)
                    let nextIsOption = k != last && options[k + 1].hasPrefix("--")
                    if name == "--save" && nextIsOption {
                        line += "\"\""
                        handledLast = true
                    } else if name == "--save" && k == last {
                        line += "\"\""
                    } else if name == "--sentinel" && nextIsOption {
                        handledLast = true
                    }
                } else {
                    handledLast = true
                }
                current = line
            } else {
                current = (current ?? "") + ConfigTokenizer.quoted(arg) + " "
                handledLast = true
            }
        }
        if let line = current { lines.append(line) }
        return (lines, readStdin)
    }
}
