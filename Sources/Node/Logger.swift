// Logger: log lines in Redis's shape, so existing log tooling keeps working:
//   "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level-char> <message>"
// Levels and their characters as Redis: debug '.', verbose '-', notice '*', warning '#'.
// Writes synchronously to stdout or to the configured log file (append mode).

import Glibc

/// A log level, ordered from most to least verbose.
public enum LogLevel: Int, Comparable, Sendable {
    case debug, verbose, notice, warning, nothing

    /// Parses Redis's `loglevel` words.
    public init?(word: String) {
        switch word.lowercased() {
        case "debug": self = .debug
        case "verbose": self = .verbose
        case "notice": self = .notice
        case "warning": self = .warning
        case "nothing": self = .nothing
        default: return nil
        }
    }

    var marker: Character {
        switch self {
        case .debug: "."
        case .verbose: "-"
        case .notice: "*"
        case .warning, .nothing: "#"
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Writes Redis-shaped log lines. Owned by the loop thread.
public final class Logger {
    /// Minimum level written.
    public var level: LogLevel
    /// The role character: M (master), S (replica), X (sentinel), C (child).
    public var roleMarker: Character = "M"
    private var fd: Int32
    private let pid = getpid()

    /// Logs to `path`, or to stdout when `path` is empty. Falls back to stdout if the file cannot be opened.
    public init(path: String, level: LogLevel) {
        self.level = level
        if path.isEmpty {
            fd = STDOUT_FILENO
        } else {
            let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            fd = opened >= 0 ? opened : STDOUT_FILENO
        }
    }

    /// Reopens the log file at `path` (empty = stdout); false if it cannot be opened.
    @discardableResult
    public func reopen(path: String) -> Bool {
        if path.isEmpty {
            if fd != STDOUT_FILENO { close(fd) }
            fd = STDOUT_FILENO
            return true
        }
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { return false }
        if fd != STDOUT_FILENO { close(fd) }
        fd = opened
        return true
    }

    /// Writes one line at `level` if enabled.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level >= self.level, self.level != .nothing else { return }
        var line = "\(pid):\(roleMarker) \(Logger.timestamp()) \(level.marker) \(message())\n"
        line.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, base + offset, buffer.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    public func debug(_ m: @autoclosure () -> String) { log(.debug, m()) }
    public func verbose(_ m: @autoclosure () -> String) { log(.verbose, m()) }
    public func notice(_ m: @autoclosure () -> String) { log(.notice, m()) }
    public func warning(_ m: @autoclosure () -> String) { log(.warning, m()) }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "24 Nov 2026 22:15:42.123" in local time, as Redis prints it.
    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = Int(tv.tv_usec / 1000)
        let msText = ms < 10 ? "00\(ms)" : (ms < 100 ? "0\(ms)" : "\(ms)")
        let month = months[Int(parts.tm_mon) % 12]
        return "\(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(msText)"
    }
}
