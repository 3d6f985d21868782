// CommandError: a command's failure, carrying Redis's exact error text
// (prefix included), because clients and scripts branch on it.

/// An error reply. `message` is what follows the "-" on the wire.
public struct CommandError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static let wrongType = CommandError("WRONGTYPE Operation against a key holding the wrong kind of value")
    public static let syntax = CommandError("ERR syntax error")
    public static let notInteger = CommandError("ERR value is not an integer or out of range")
    public static let notFloat = CommandError("ERR value is not a valid float")
    public static let overflow = CommandError("ERR increment or decrement would overflow")
    public static let noSuchKey = CommandError("ERR no such key")
    public static let indexOutOfRange = CommandError("ERR index out of range")
    public static let invalidDBIndex = CommandError("ERR DB index is out of range")
    public static let invalidExpireTime = CommandError("ERR invalid expire time in 'set' command")
    public static let notPositiveTimeout = CommandError("ERR timeout is negative")
    public static let timeoutNotFloat = CommandError("ERR timeout is not a float or out of range")
    public static let noAuth = CommandError("NOAUTH Authentication required.")
    public static let nan = CommandError("ERR resulting score is not a number (NaN)")
    public static let minMaxNotFloat = CommandError("ERR min or max is not a float")
    public static let misconf = CommandError("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.")
    public static let minMaxNotString = CommandError("ERR min or max not valid string range item")

    /// "ERR wrong number of arguments for 'get' command"
    public static func arity(_ name: String) -> CommandError {
        CommandError("ERR wrong number of arguments for '\(name)' command")
    }

    /// "ERR unknown subcommand 'x'. Try CONFIG HELP."
    public static func unknownSubcommand(_ sub: String, of command: String) -> CommandError {
        CommandError("ERR unknown subcommand '\(sub.prefix(128))'. Try \(command.uppercased()) HELP.")
    }

    /// "ERR value is out of range, must be positive" and friends.
    public static func custom(_ text: String) -> CommandError { CommandError(text) }
}
