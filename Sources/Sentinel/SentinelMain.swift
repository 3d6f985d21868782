// SentinelMain: the sentinel's start-up, as redis-sentinel's:
//   sentinel /path/to/sentinel.conf [--directive value …]
//   vigil-server /path/to/sentinel.conf --sentinel
//
//   1. A config file is required and must be writable (the sentinel saves its
//      state there); otherwise exit with Redis's message.
//   2. The file is loaded in sentinel mode; a bad line stops start-up with the
//      file, line and reason (ConfigError / SentinelFileConfig.parse).
//   3. A missing `sentinel myid` gets a fresh random id, persisted at once.
//   4. Node's Server runs the client side in sentinel mode; the daemon adds
//      the core, the links and the SENTINEL commands.

import Glibc
import Config
import EventLoop
import Node
import SentinelCore

/// Entry point of the `sentinel` executable (and `vigil-server --sentinel`).
public enum SentinelMain {
    public static func run(arguments: [String]) -> Int32 {
        if arguments.first == "-v" || arguments.first == "--version" {
            print("Vigil sentinel v=\(ServerInfo.vigilVersion) (Redis \(ServerInfo.redisVersion) compatible) bits=64")
            return 0
        }
        if arguments.first == "-h" || arguments.first == "--help" {
            print(usage)
            return 0
        }
        let parsed = CommandLineOptions.parse(arguments)
        guard let path = parsed.configFile else {
            printError("Sentinel needs config file on disk to save state. Exiting...")
            return 1
        }
        if access(path, W_OK) != 0 {
            printError("Sentinel config file \(path) is not writable: \(String(cString: strerror(errno))). Exiting...")
            return 1
        }
        let config: ConfigStore
        let fileConfig: SentinelFileConfig
        do {
            config = try ConfigStore.load(arguments: arguments, mode: .sentinel)
            fileConfig = try SentinelFileConfig.parse(config.sentinelLines)
        } catch {
            printError("\n\(error)\n")
            return 1
        }
        var generator = SystemRandomNumberGenerator()
        var idSource = SeededRandom(seed: generator.next())
        let myID = fileConfig.myID ?? idSource.hexID()
        let dir = config.string("dir")
        if !dir.isEmpty, chdir(dir) != 0 {
            printError("Can't chdir to '\(dir)': \(String(cString: strerror(errno)))")
            return 1
        }
        if config.bool("daemonize") {
            guard NodeMain.daemonize() else {
                printError("Could not daemonize: \(String(cString: strerror(errno)))")
                return 1
            }
        }
        // After daemonizing, so log lines carry the daemon's pid.
        let start = ProcessStart(config: config, roleMarker: "X")
        defer { start.finish() }
        let logger = start.logger
        do {
            let server = try Server(config: config, logger: logger, mode: .sentinel)
            try server.start()
            logger.notice("Running mode=sentinel, port=\(server.boundPort).")
            let core = SentinelCore(config: fileConfig, myID: myID, port: server.boundPort,
                                    seed: generator.next(), now: server.loop.monotonicMilliseconds)
            let daemon = SentinelDaemon(server: server, core: core, config: config)
            daemon.start()
            logger.warning("Sentinel ID is \(myID)")
            server.run()
            return server.startupFailed ? 1 : 0
        } catch {
            logger.warning("\(error)")
            return 1
        }
    }

    static let usage = """
    Usage: ./sentinel /path/to/sentinel.conf [options]
           ./vigil-server /path/to/sentinel.conf --sentinel [options]
           ./sentinel status|failover|ckquorum|reset … [-h host] [-p port] [-a password] [--json]
           ./sentinel -v or --version
           ./sentinel -h or --help
    """

    static func printError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
    }
}
