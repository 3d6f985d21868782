// ProcessStart: what vigil-server and the sentinel do once configured and
// (maybe) daemonized — open the log, write the pid file, log the banner —
// and undo at exit (remove the pid file).

import Glibc
import Config

/// The logger and pid file of a starting process.
public struct ProcessStart {
    public let logger: Logger
    private let pidfile: String

    /// Opens the log (`logfile`, `loglevel`), writes `pidfile`, logs the start-up banner.
    public init(config: ConfigStore, roleMarker: Character) {
        logger = Logger(path: config.string("logfile"), level: LogLevel(word: config.string("loglevel")) ?? .notice)
        logger.roleMarker = roleMarker
        pidfile = config.string("pidfile")
        if !pidfile.isEmpty { NodeMain.writePidfile(pidfile, logger: logger) }
        logger.notice("oO0OoO0OoO0Oo Vigil is starting oO0OoO0OoO0Oo")
        logger.notice("Vigil version=\(ServerInfo.vigilVersion), bits=64, pid=\(getpid()), just started")
        if let file = config.configFilePath { logger.notice("Configuration loaded from \(file)") }
    }

    /// Removes the pid file (at exit).
    public func finish() {
        if !pidfile.isEmpty { unlink(pidfile) }
    }
}
