// ConfigLine: one non-blank, non-comment configuration line and where it came
// from. Used for error messages (file + line number + text) and to hand
// `sentinel …`, `rename-command` and `user` lines to the modules that
// interpret them later.
// Invariant: `words[0]` (when present) is the directive name, lowercased.

/// Where a configuration line came from.
public enum ConfigSource: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A file, by absolute path.
    case file(String)
    /// Standard input (`vigil-server -`).
    case standardInput
    /// The command-line options after the file (`--port 6380`).
    case commandLine

    public var description: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        case .commandLine: return "<command line>"
        }
    }
}

/// A configuration line with its location.
public struct ConfigLine: Equatable, Sendable {
    /// The file (or stdin / command line) the line came from.
    public var source: ConfigSource
    /// 1-based line number within `source` (for the command line: the
    /// number of the generated option line).
    public var number: Int
    /// The line, trimmed of surrounding blanks.
    public var text: String
    /// The line split into words; `words[0]` is lowercased. Empty when the
    /// line could not be split (unbalanced quotes).
    public var words: [String]

    public init(source: ConfigSource, number: Int, text: String, words: [String]) {
        self.source = source
        self.number = number
        self.text = text
        self.words = words
    }

    /// The directive name (lowercased), or "" when the line has no words.
    public var name: String { words.first ?? "" }

    /// The words after the directive name. For `sentinel monitor m 1.2.3.4 6379 2`
    /// this is `["monitor", "m", "1.2.3.4", "6379", "2"]`.
    public var arguments: ArraySlice<String> { words.dropFirst() }
}
