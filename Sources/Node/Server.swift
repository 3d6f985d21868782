// Server: the data node's loop-thread state and its life cycle — listening
// sockets, clients, databases, the cron, and shutdown. In sentinel mode the
// same machinery serves a sentinel's clients (ServerMode.swift).
//
// Everything here runs on the one event-loop thread (Redis's model): no
// locks, and commands execute one at a time in arrival order. Work that must
// not block the loop runs elsewhere over immutable copies and reports back
// through `loop.handle.execute`.

import Glibc
import RESP
import Keyspace
import Config
import EventLoop
import Replication

/// Errors that stop the server from starting.
public enum ServerStartError: Error, CustomStringConvertible {
    case listen(address: String, port: Int, SystemError)
    case noListeners
    case system(SystemError)
    /// A configuration line the server (not the Config module) refused, e.g. rename-command of an unknown command.
    case config(ConfigError)

    public var description: String {
        switch self {
        case .listen(let address, let port, let error):
            "Warning: Could not create server TCP listening socket \(address):\(port): \(error)"
        case .noListeners: "Failed listening on any address"
        case .system(let e): "\(e)"
        case .config(let e): "\n\(e)\n"
        }
    }
}

/// The data node.
public final class Server {
    public let loop: EventLoop
    public internal(set) var config: ConfigStore
    public let logger: Logger
    /// The numbered databases (`databases` directive).
    public var databases: [Database]
    /// Connected clients by id, and by file descriptor for I/O dispatch.
    public internal(set) var clients: [Int: Client] = [:]
    var clientsByFD: [Client?] = []
    var nextClientID = 1
    /// Listening sockets and the address each is bound to.
    var listeners: [(fd: Int32, address: String)] = []
    /// The port actually bound (differs from the config when it says 0).
    public private(set) var boundPort = 0

    /// A data node, or the client-facing shell of a sentinel (ServerMode.swift).
    public let mode: ServerMode
    /// Called once when the server shuts down (SHUTDOWN, SIGTERM), before the loop stops.
    public var beforeShutdown: (() -> Void)?
    var commands: CommandTable
    /// Clients with output to flush before the loop sleeps.
    var pendingFlush: [Client] = []
    public var pubsub = PubSubRegistry()
    var blocking = BlockingRegistry()
    var watches = WatchRegistry()
    /// Clients receiving MONITOR output, by id.
    var monitors: [Int] = []
    public var stats = ServerStats()
    /// 40 hex characters, new at every start (INFO run_id).
    public let runID: String
    /// Writes since the last successful save.
    public var dirty = 0
    /// Active CLIENT PAUSE, if any.
    var pause: PauseState?
    /// Clients whose processing is held back by CLIENT PAUSE.
    var pausedClients: [Int] = []
    var rng = SystemRandomNumberGenerator()
    /// Monotonic ms at start.
    let startedAtMonotonic: Int64
    /// Unix ms at start.
    public let startedAt: Int64
    /// Set by SHUTDOWN or SIGTERM; the loop stops after the current iteration.
    public private(set) var isShuttingDown = false
    var cronTimer: EventLoop.TimerID?
    /// Keys written since the blocked clients were last served, as (database, key).
    var readyKeys: [(Int, Bytes)] = []
    /// Hot-path settings copied out of `config`.
    var hot: HotSettings
    /// Snapshot bookkeeping.
    var persistence = PersistenceState()
    /// DEBUG SET-ACTIVE-EXPIRE: the cron's expiry cycle runs only when true.
    var activeExpireEnabled = true
    /// Replication ids, offset, backlog and the stream's selected database.
    var replicationStream: ReplicationStream
    /// MULTI/EXEC wrapping of the stream while EXEC runs.
    var transactionPropagation = TransactionPropagation()
    /// Master side of replication: connected replicas, full-sync snapshots, WAIT (Replication/Master*.swift).
    var masterSide = MasterSideState()
    /// Replica side of replication: the master followed, its link and stream (Replication/Replica*.swift).
    var replicaSide = ReplicaSideState()

    /// Creates a server from a loaded configuration, in the mode the configuration
    /// was loaded for (`.sentinel` configs make a sentinel); `start()` binds and runs it.
    public convenience init(config: ConfigStore, logger: Logger) throws(ServerStartError) {
        try self.init(config: config, logger: logger, mode: ServerMode(config.mode))
    }

    /// Creates a server in `mode` from a loaded configuration; `start()` binds and runs it.
    public init(config: ConfigStore, logger: Logger, mode: ServerMode) throws(ServerStartError) {
        do { loop = try EventLoop() } catch { throw .system(error) }
        self.mode = mode
        self.config = config
        self.hot = HotSettings(config)
        self.logger = logger
        self.databases = Array(repeating: Database(), count: mode == .node ? max(1, config.int("databases")) : 1)
        var commands = mode == .node ? CommandTable.standard() : CommandTable.sentinel()
        if mode == .node {
            for line in config.renamedCommands where line.words.count == 3 {
                guard commands.rename(line.words[1], to: line.words[2]) else {
                    throw .config(.invalidLine(line, reason: "No such command in rename-command"))
                }
            }
        }
        self.commands = commands
        if mode == .sentinel { logger.roleMarker = "X" }
        self.runID = Server.makeRunID()
        var generator = SystemRandomNumberGenerator()
        self.replicationStream = ReplicationStream(history: ReplicationHistory(using: &generator),
                                                   backlogSize: config.int("repl-backlog-size"))
        self.startedAtMonotonic = loop.monotonicMilliseconds
        self.startedAt = EventLoop.wallClockMilliseconds()
    }

    /// Current unix time in milliseconds.
    @inlinable
    public var now: Int64 { EventLoop.wallClockMilliseconds() }

    /// Binds the listeners, installs the cron and signal handlers.
    public func start() throws(ServerStartError) {
        (listeners, boundPort) = try openListeners(port: config.int("port"), bind: config.string("bind"))
        loop.addBeforeSleep { [unowned self] in self.beforeSleep() }
        let hz = max(1, min(500, config.int("hz")))
        cronTimer = loop.scheduleRepeating(everyMilliseconds: Int64(1000 / hz)) { [unowned self] in self.cron() }
        if mode == .node { startReplicaSide() }
        for signo in [SIGTERM, SIGINT] {
            do {
                try loop.onSignal(signo) { [unowned self] in
                    self.logger.warning("Received \(signo == SIGINT ? "SIGINT" : "SIGTERM") scheduling shutdown...")
                    if let failure = self.prepareShutdown(save: nil) {
                        self.logger.warning("\(failure)")
                        self.logger.warning("SIGTERM received but errors trying to shut down the server, check the logs for more information")
                        return
                    }
                    self.shutdown()
                }
            } catch { throw .system(error) }
        }
    }

    /// Opens and registers a listening socket per `bind` address ("-" = optional,
    /// skipped when unavailable, as Redis). Port 0 picks one ephemeral port for all.
    /// On failure every socket opened so far is closed.
    func openListeners(port: Int, bind: String) throws(ServerStartError) -> ([(fd: Int32, address: String)], Int) {
        var addresses = bind.split(separator: " ").map(String.init)
        if addresses.isEmpty { addresses = ["*", "-::*"] }
        var opened: [(fd: Int32, address: String)] = []
        var chosenPort = port
        func closeOpened() {
            for (fd, _) in opened { loop.unregister(fd: fd); Socket.close(fd: fd) }
        }
        for raw in addresses {
            let address = raw.hasPrefix("-") ? String(raw.dropFirst()) : raw
            do {
                let fd = try Socket.listen(host: address, port: chosenPort, backlog: Int32(clamping: config.int("tcp-backlog")))
                if chosenPort == 0 { chosenPort = Socket.localPort(fd: fd) ?? 0 }
                opened.append((fd, address))
                try loop.register(fd: fd, interest: .readable) { [unowned self] _, _, _ in
                    self.acceptClients(listener: fd, address: address)
                }
            } catch {
                if Socket.shouldSkip(error, host: raw) { continue }
                closeOpened()
                throw .listen(address: address, port: port, error)
            }
        }
        guard !opened.isEmpty else { throw .noListeners }
        return (opened, chosenPort)
    }

    /// CONFIG SET port/bind: listen on the new addresses first, then close the old listeners.
    func rebindListeners() throws(ServerStartError) {
        let (fresh, port) = try openListeners(port: config.int("port"), bind: config.string("bind"))
        for (fd, _) in listeners { loop.unregister(fd: fd); Socket.close(fd: fd) }
        listeners = fresh
        boundPort = port
        logger.notice("Listening on port \(port)")
    }

    /// Runs the event loop until shutdown.
    public func run() {
        logger.notice("Ready to accept connections tcp")
        loop.run()
    }

    /// Stops serving: closes clients and listeners and ends the loop.
    public func shutdown() {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        beforeShutdown?()
        for (_, client) in clients { flush(client) }
        for (fd, _) in listeners { loop.unregister(fd: fd); Socket.close(fd: fd) }
        listeners.removeAll()
        logger.warning("Vigil is now ready to exit, bye bye...")
        loop.stop()
    }

    static func makeRunID() -> String {
        var g = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        return String((0..<40).map { _ in hex[Int(g.next() % 16)] })
    }

    // MARK: Accepting

    private func acceptClients(listener: Int32, address: String) {
        // Accept a bounded batch per wake-up (Redis: MAX_ACCEPTS_PER_CALL).
        for _ in 0..<1000 {
            let accepted: (fd: Int32, peer: Socket.PeerAddress)?
            do { accepted = try Socket.accept(listener: listener) } catch {
                logger.verbose("Accepting client connection: \(error)")
                return
            }
            guard let (fd, peer) = accepted else { return }
            admit(fd: fd, peer: peer, localAddress: Socket.localAddress(fd: fd)?.description ?? "\(address):\(boundPort)")
        }
    }

    private func admit(fd: Int32, peer: Socket.PeerAddress, localAddress: String) {
        stats.totalConnections += 1
        if clients.count >= config.int("maxclients") {
            refuse(fd: fd, "-ERR max number of clients reached\r\n")
            stats.rejectedConnections += 1
            return
        }
        if config.bool("protected-mode"), config.string("requirepass").isEmpty, !peer.isLoopback {
            refuse(fd: fd, Server.protectedModeMessage)
            stats.rejectedConnections += 1
            return
        }
        Socket.setNoDelay(fd: fd)
        let keepalive = config.int("tcp-keepalive")
        if keepalive > 0 { Socket.setKeepAlive(fd: fd, intervalSeconds: keepalive) }
        let client = Client(id: nextClientID, fd: fd, peer: peer, localAddress: localAddress, now: now,
                            authenticated: config.string("requirepass").isEmpty,
                            maxBulkLength: config.int("proto-max-bulk-len"))
        nextClientID += 1
        do {
            try loop.register(fd: fd, interest: .readable) { [unowned self, unowned client] readable, writable, hangup in
                self.handleEvents(client, readable: readable, writable: writable, hangup: hangup)
            }
        } catch {
            logger.warning("Error registering fd event for the new client: \(error)")
            Socket.close(fd: fd)
            return
        }
        clients[client.id] = client
        if Int(fd) >= clientsByFD.count {
            clientsByFD.append(contentsOf: repeatElement(nil, count: Int(fd) - clientsByFD.count + 64))
        }
        clientsByFD[Int(fd)] = client
    }

    private func refuse(fd: Int32, _ message: String) {
        var bytes = Array(message.utf8)
        bytes.withUnsafeBytes { _ = Socket.write(fd: fd, $0) }
        bytes.removeAll()
        Socket.close(fd: fd)
    }

    static let protectedModeMessage = "-DENIED Vigil is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Vigil you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Vigil from the same host the server is running, however MAKE SURE Vigil is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Vigil configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

    // MARK: Closing

    /// Closes a client now, releasing every registration that names it.
    public func close(_ client: Client) {
        guard !client.isClosed else { return }
        client.isClosed = true
        unblock(client)
        unwatchAll(client)
        pubsub.removeAll(for: client)
        if client.isMonitor { monitors.removeAll { $0 == client.id } }
        pausedClients.removeAll { $0 == client.id }
        masterSideClientClosed(client)
        if client.kind == .master { masterClientClosed(client) }
        loop.unregister(fd: client.fd)
        Socket.close(fd: client.fd)
        clients[client.id] = nil
        if Int(client.fd) < clientsByFD.count, clientsByFD[Int(client.fd)] === client {
            clientsByFD[Int(client.fd)] = nil
        }
    }
}
