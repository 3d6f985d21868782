// ConfigError: every way configuration can fail, with messages in Redis's
// shape so operators and tooling recognise them.
//
// Start-up errors render as Redis's fatal block, plus the file name:
//
//   *** FATAL CONFIG FILE ERROR (Vigil) ***
//   Reading the configuration file, at line 42 in /etc/vigil/node.conf
//   >>> 'port "abc"'
//   argument couldn't be parsed into an integer
//
// Runtime (CONFIG SET / REWRITE) errors render as the exact RESP error text
// Redis 7.0 replies with, "ERR " prefix included.

/// A configuration error (start-up or CONFIG SET/REWRITE).
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration line is invalid; `reason` is Redis's wording.
    case invalidLine(ConfigLine, reason: String)
    /// The configuration file (or standard input) could not be read.
    case cannotOpen(path: String, reason: String)
    /// CONFIG SET named a parameter that does not exist.
    case unknownOption(String)
    /// CONFIG SET refused a parameter (immutable, protected, duplicate, bad value).
    case setFailed(argument: String, reason: String)
    /// CONFIG REWRITE on a server started without a config file.
    case noConfigFile
    /// CONFIG REWRITE could not read or replace the file.
    case rewriteFailed(reason: String)

    /// The product name shown in the fatal block, in place of Redis's version.
    public static let productTag = "(Vigil)"

    /// The start-up block, or the RESP error text (with "ERR ") for runtime errors.
    public var description: String {
        switch self {
        case .invalidLine(let line, let reason):
            // Files show their absolute path; stdin and the command line show
            // "<stdin>" / "<command line>" (option lines numbered from 1).
            let place = "Reading the configuration file, at line \(line.number) in \(line.source)"
            return "*** FATAL CONFIG FILE ERROR \(ConfigError.productTag) ***\n\(place)\n>>> '\(line.text)'\n\(reason)"
        case .cannotOpen(let path, let reason):
            return "Fatal error, can't open config file '\(path)': \(reason)"
        case .unknownOption(let name):
            return "ERR Unknown option or number of arguments for CONFIG SET - '\(name)'"
        case .setFailed(let argument, let reason):
            return "ERR CONFIG SET failed (possibly related to argument '\(argument)') - \(reason)"
        case .noConfigFile:
            return "ERR The server is running without a config file"
        case .rewriteFailed(let reason):
            return "ERR Rewriting config file: \(reason)"
        }
    }

    /// The reason alone (no location, no "ERR" prefix), for logs and tests.
    public var reason: String {
        switch self {
        case .invalidLine(_, let reason): return reason
        case .cannotOpen(_, let reason): return reason
        case .unknownOption(let name): return "Unknown option or number of arguments for CONFIG SET - '\(name)'"
        case .setFailed(_, let reason): return reason
        case .noConfigFile: return "The server is running without a config file"
        case .rewriteFailed(let reason): return reason
        }
    }

    /// The offending line, for start-up errors tied to one.
    public var line: ConfigLine? {
        if case .invalidLine(let line, _) = self { return line }
        return nil
    }
}
