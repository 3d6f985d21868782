// SentinelCLIOptions.swift — what `sentinel status|failover|ckquorum|reset`
// was asked to do, after argument parsing: where the sentinel is, how to
// authenticate, how to print, and which verb to run.
//
// Invariants: `port` is in 1...65535; `watchInterval`, when set, is > 0 and
// only ever set together with the `status` verb; a master name or pattern is
// never empty.

/// Connection and output settings shared by every verb.
struct SentinelCLIOptions: Equatable, Sendable {
    /// Host of the sentinel (`-h`).
    var host = "127.0.0.1"
    /// Port of the sentinel (`-p`).
    var port = 26379
    /// Password sent with AUTH (`-a`).
    var password: String?
    /// ACL user sent with AUTH (`--user`); only used together with a password.
    var user: String?
    /// Print one JSON document instead of text (`--json`).
    var json = false
    /// Refresh period in seconds for `status --watch`; nil when not watching.
    var watchInterval: Double?

    /// "host:port" as shown in messages.
    var address: String { formatAddress(host: host, port: port) }
}

/// The operator verb and its operand.
enum SentinelVerb: Equatable, Sendable {
    /// `status [NAME]`: everything the sentinel knows, for all masters or one.
    case status(master: String?)
    /// `failover NAME`: SENTINEL FAILOVER.
    case failover(master: String)
    /// `ckquorum NAME`: SENTINEL CKQUORUM.
    case ckquorum(master: String)
    /// `reset PATTERN`: SENTINEL RESET.
    case reset(pattern: String)

    /// True for `status`.
    var isStatus: Bool {
        switch self {
        case .status: return true
        case .failover, .ckquorum, .reset: return false
        }
    }
}

/// The outcome of parsing a command line.
enum SentinelCommandLine: Equatable, Sendable {
    /// `--help` anywhere: print the usage text and exit 0.
    case help
    /// Run `verb` with `options`.
    case run(SentinelCLIOptions, SentinelVerb)
}

/// A command line that cannot be run; `message` says what to fix (exit code 2).
struct SentinelUsageError: Error, Equatable, Sendable {
    /// One line naming the offending argument.
    let message: String
}

/// "ip:port", with brackets around IPv6 literals ("[::1]:26379").
func formatAddress(host: String, port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
}
