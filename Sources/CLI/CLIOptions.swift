// CLIOptions.swift — the settings one vigil-cli run starts with, as given on
// the command line (see ArgumentParser.swift for how they are read).
//
// Invariants: values are stored as redis-cli stores them (a non-numeric port
// is 0, like C's atoi); nothing here depends on the terminal, which the
// caller decides (`outputMode` nil means "raw unless stdout is a terminal").

import RESP

/// How replies are printed.
public enum OutputMode: Equatable, Sendable {
    /// The terminal format: `(integer) 1`, `"quoted"`, numbered lists.
    case standard
    /// Bare values, one per line (redis-cli --raw).
    case raw
}

/// Everything the command line of vigil-cli says.
public struct CLIOptions: Equatable, Sendable {
    /// Server host name or address (-h).
    public var host = "127.0.0.1"
    /// Server port (-p).
    public var port = 6379
    /// Password for AUTH (-a / --pass / -u / REDISCLI_AUTH).
    public var password: String?
    /// ACL user for AUTH (--user / -u).
    public var user: String?
    /// Database to SELECT after connecting (-n / -u path).
    public var database = 0
    /// Forced output mode (--raw / --no-raw); nil picks by terminal.
    public var outputMode: OutputMode?
    /// Send HELLO 3 after connecting (-3); -2 turns it off again.
    public var resp3 = false
    /// How many times to run the command (-r); negative means forever.
    public var repeatCount: Int64 = 1
    /// Pause after each run, in microseconds (-i seconds).
    public var intervalMicroseconds: Int64 = 0
    /// Read the last argument from standard input (-x).
    public var lastArgumentFromStandardInput = false
    /// Exit 1 and print errors to stderr on an error reply (-e).
    public var exitOnErrorReply = false
    /// Do not warn about -a on the command line (--no-auth-warning).
    public var noAuthWarning = false
    /// Between elements of a raw aggregate (-d).
    public var elementDelimiter: Bytes = [0x0a]
    /// After each raw reply (-D).
    public var replyDelimiter: Bytes = [0x0a]
    /// Print RESP3 pushes received outside pub/sub (--show-pushes); nil picks by terminal.
    public var showPushes: Bool?
    /// The command to run; empty for the interactive prompt.
    public var command: [String] = []

    /// Defaults: 127.0.0.1:6379, database 0, run once.
    public init() {}
}
