// NodeMain: vigil-server's start-up — command line, configuration, daemonizing,
// pidfile, then the server loop. Returns the process exit status.

import Glibc
import Config

/// Entry point of the `vigil-server` executable.
public enum NodeMain {
    public static func run(arguments: [String]) -> Int32 {
        if arguments.first == "-v" || arguments.first == "--version" {
            print("Vigil server v=\(ServerInfo.vigilVersion) (Redis \(ServerInfo.redisVersion) compatible) bits=64")
            return 0
        }
        if arguments.first == "-h" || arguments.first == "--help" {
            print(usage)
            return 0
        }
        var path: String?
        var overrides = arguments
        if let first = arguments.first, !first.hasPrefix("--") || first == "-" {
            path = first
            overrides.removeFirst()
        }
        let config: ConfigStore
        do {
            config = try ConfigStore.load(path: path, overrides: overrides, mode: .server)
        } catch {
            FileHandleLite.standardError.write("\n\(error)\n")
            return 1
        }
        let dir = config.string("dir")
        if !dir.isEmpty, chdir(dir) != 0 {
            FileHandleLite.standardError.write("Can't chdir to '\(dir)': \(String(cString: strerror(errno)))\n")
            return 1
        }
        if config.bool("daemonize") {
            guard daemonize() else {
                FileHandleLite.standardError.write("Could not daemonize: \(String(cString: strerror(errno)))\n")
                return 1
            }
        }
        let start = ProcessStart(config: config, roleMarker: "M")
        defer { start.finish() }
        let logger = start.logger
        do {
            let server = try Server(config: config, logger: logger)
            try server.start()
            try server.loadDataAtStartup()   // a large file keeps loading in the background
            logger.notice("Running mode=standalone, port=\(server.boundPort).")
            server.run()
            return server.startupFailed ? 1 : 0
        } catch {
            logger.warning("\(error)")
            return 1
        }
    }

    static let usage = """
    Usage: ./vigil-server [/path/to/node.conf] [options] [-]
           ./vigil-server - (read config from stdin)
           ./vigil-server -v or --version
           ./vigil-server -h or --help

    Examples:
           ./vigil-server (run the server with default conf)
           ./vigil-server /etc/vigil/6379.conf
           ./vigil-server --port 7777
           ./vigil-server --port 7777 --replicaof 127.0.0.1 8888
           ./vigil-server /etc/myvigil.conf --loglevel verbose -
    """

    /// Detaches from the terminal: fork, the parent exits, the child starts a session and drops stdio.
    public static func daemonize() -> Bool {
        let pid = fork()
        if pid < 0 { return false }
        if pid > 0 { exit(0) }
        setsid()
        let devnull = open("/dev/null", O_RDWR)
        if devnull >= 0 {
            dup2(devnull, STDIN_FILENO)
            dup2(devnull, STDOUT_FILENO)
            dup2(devnull, STDERR_FILENO)
            if devnull > STDERR_FILENO { close(devnull) }
        }
        return true
    }

    /// Writes the pid file (also used by the sentinel).
    public static func writePidfile(_ path: String, logger: Logger) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            logger.warning("Failed to write PID file: \(String(cString: strerror(errno)))")
            return
        }
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// Minimal unbuffered writes to standard error.
struct FileHandleLite {
    let fd: Int32
    static let standardError = FileHandleLite(fd: STDERR_FILENO)
    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
