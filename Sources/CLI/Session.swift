// Session.swift — one vigil-cli session: the connection, the selected
// database, and sending commands and printing replies the way redis-cli 7.0
// does (cliConnect, issueCommandRepeat, cliSendCommand, cliReadReply).
//
// Rules:
//   1. Connecting sends AUTH (with --user: AUTH user pass), SELECT db when
//      db != 0, and HELLO 3 with -3. A failed step prints "AUTH failed: ...",
//      "SELECT n failed: ..." or "HELLO 3 failed: ..." on stderr and the
//      session goes on (redis-cli 7.0.15 does the same).
//   2. A command sent while disconnected first reconnects; when that fails,
//      "Could not connect to Redis at host:port: reason" is printed.
//   3. When the server goes away (EOF, ECONNRESET, EPIPE) in interactive or
//      stdin mode, "Error: Server closed the connection" is printed and the
//      session becomes "not connected". In one-shot mode any connection error
//      prints "Error: ..." and exits 1.
//   4. A successful SELECT n changes the prompt's [n]; MULTI adds (TX); EXEC
//      and DISCARD end it (restoring the database when they fail or discard).
//   5. With -e (one-shot only) an error reply goes to stderr and exits 1.
//   6. RESP3 pushes outside pub/sub are printed only when --show-pushes (by
//      default: when stdout is a terminal), then reading goes on.
//   7. MONITOR and SUBSCRIBE stream replies until the connection ends (exit
//      1) or, for SUBSCRIBE (and, unlike redis-cli, MONITOR), an error reply.

import RESP

/// Ends vigil-cli with `status` (redis-cli calls exit() at these points).
struct CLIExit: Error {
    let status: Int32
}

/// The state of one vigil-cli run.
final class Session {
    /// Current server address (the REPL's `connect host port` changes it).
    private(set) var host: String
    private(set) var port: Int
    /// True for the prompt and stdin modes (rule 3).
    var interactive = false
    /// The live connection, nil when "not connected".
    private(set) var connection: Connection?

    private let options: CLIOptions
    private let output: OutputMode
    private let showPushes: Bool
    private let console: Console
    private var database: Int
    private var inTransaction = false
    private var databaseBeforeTransaction = 0
    private var lostBecause: ConnectionError?

    init(options: CLIOptions, output: OutputMode, showPushes: Bool, console: Console) {
        self.options = options
        self.host = options.host
        self.port = options.port
        self.database = options.database
        self.output = output
        self.showPushes = showPushes
        self.console = console
    }

    /// The prompt for the current state.
    var prompt: String {
        connection == nil ? disconnectedPrompt
            : promptText(host: host, port: port, database: database, inTransaction: inTransaction)
    }

    /// Whether replies print in the terminal format (the REPL's timing line needs it).
    var printsStandard: Bool { output == .standard }

    /// Points the session at another server (the REPL's `connect`).
    func retarget(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Connects unless connected (or always, with `force`, which also forgets
    /// the selected database and transaction state). False on failure, after
    /// printing why (unless `quiet`).
    @discardableResult
    func connect(force: Bool = false, quiet: Bool = false) -> Bool {
        if connection != nil {
            guard force else { return true }
            connection = nil
            database = 0
            inTransaction = false
        }
        do {
            let fresh = try Connection.open(host: host, port: port)
            connection = fresh
            try handshake(fresh)
            return true
        } catch {
            connection = nil
            if quiet { return false }
            if case .connect(let reason) = error {
                console.error("Could not connect to Redis at \(host):\(port): \(reason)")
            } else {
                console.error("Error: \(error)")
            }
            return false
        }
    }

    /// Rule 1.
    private func handshake(_ link: Connection) throws(ConnectionError) {
        if let password = options.password {
            let auth = options.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let text) = try link.call(auth) { console.error("AUTH failed: \(text)") }
        }
        if database != 0, case .error(let text) = try link.call(["SELECT", String(database)]) {
            console.error("SELECT \(database) failed: \(text)")
        }
        if options.resp3, case .error(let text) = try link.call(["HELLO", "3"]) {
            console.error("HELLO 3 failed: \(text)")
        }
    }

    /// Runs `arguments` `count` times (negative: forever), printing replies.
    /// False when the command could not be run (not connected, connection lost).
    func issue(_ arguments: [Bytes], repeat count: Int64) throws(CLIExit) -> Bool {
        let traits = CommandTraits(arguments)
        if traits.name == "help" || traits.name == "?" {
            console.write(interactiveHelpText)
            console.flush()
            return true
        }
        if connection == nil && !connect(force: true) { return false }
        lostBecause = nil
        if try run(arguments, traits, count) { return true }
        if let reason = lostBecause { console.error("Error: \(reason)") }
        connection = nil
        return false
    }

    /// What one read produced.
    private enum Received {
        case reply(RESPValue)
        /// SHUTDOWN's expected end of connection.
        case shutDown
        /// Connection lost in interactive mode (`lostBecause` says why).
        case lost
    }

    /// redis-cli's cliSendCommand loop (rules 4 and 7).
    private func run(_ arguments: [Bytes], _ traits: CommandTraits, _ count: Int64) throws(CLIExit) -> Bool {
        var remaining = count
        while remaining != 0 {
            if remaining > 0 { remaining -= 1 }
            guard let link = connection else { return false }
            do {
                try link.send(arguments)
            } catch {
                switch try failed(error, traits) {
                case .shutDown: return true
                default: return false
                }
            }
            switch traits.mode {
            case .monitor:
                try stream(traits, subscribed: false)
                return true
            case .subscribe:
                if output != .raw { console.write("Reading messages... (press Ctrl-C to quit)\n") }
                try stream(traits, subscribed: true)
                continue
            case .normal, .shutdown:
                switch try receive(traits, subscribed: false) {
                case .lost: return false
                case .shutDown: return true
                case .reply(let reply):
                    try show(reply, traits)
                    track(arguments, traits, reply)
                }
            }
            console.flush()
            Sys.sleep(microseconds: options.intervalMicroseconds)
        }
        return true
    }

    /// Prints streamed replies until an error reply; a lost connection exits 1.
    private func stream(_ traits: CommandTraits, subscribed: Bool) throws(CLIExit) {
        while true {
            switch try receive(traits, subscribed: subscribed) {
            case .reply(let reply):
                try show(reply, traits)
                console.flush()
                if case .error = reply { return }
            case .shutDown:
                return
            case .lost:
                if let reason = lostBecause { console.error("Error: \(reason)") }
                throw CLIExit(status: 1)
            }
        }
    }

    /// Reads the next reply, printing (or dropping) pushes outside pub/sub (rule 6).
    private func receive(_ traits: CommandTraits, subscribed: Bool) throws(CLIExit) -> Received {
        guard let link = connection else { return .lost }
        do {
            while true {
                let reply = try link.readReply()
                if case .push = reply, !subscribed {
                    if showPushes { showPush(reply) }
                    continue
                }
                return .reply(reply)
            }
        } catch {
            return try failed(error, traits)
        }
    }

    /// Rule 3 (and SHUTDOWN's expected EOF).
    private func failed(_ error: ConnectionError, _ traits: CommandTraits) throws(CLIExit) -> Received {
        if traits.mode == .shutdown {
            connection = nil
            return .shutDown
        }
        if interactive {
            switch error {
            case .closed:
                lostBecause = error
                return .lost
            case .io(let code) where Sys.meansPeerGone(code):
                lostBecause = error
                return .lost
            default:
                break
            }
        }
        console.error("Error: \(error)")
        throw CLIExit(status: 1)
    }

    /// Prints one reply in the session's format (rule 5 first).
    private func show(_ reply: RESPValue, _ traits: CommandTraits) throws(CLIExit) {
        if !interactive && options.exitOnErrorReply, case .error(let text) = reply {
            console.error(text)
            throw CLIExit(status: 1)
        }
        if traits.printsRawText {
            console.write(ReplyFormatter.raw(reply, delimiter: options.elementDelimiter))
        } else if output == .standard {
            console.write(ReplyFormatter.standard(reply))
        } else {
            console.write(ReplyFormatter.raw(reply, delimiter: options.elementDelimiter) + options.replyDelimiter)
        }
    }

    /// A push received outside pub/sub, when pushes are shown.
    private func showPush(_ push: RESPValue) {
        if output == .standard, let line = ReplyFormatter.invalidation(push) {
            console.write(line)
        } else {
            console.write(output == .standard ? ReplyFormatter.standard(push)
                          : ReplyFormatter.raw(push, delimiter: options.elementDelimiter) + options.replyDelimiter)
        }
        console.flush()
    }

    /// Rule 4, plus re-selecting the database after AUTH.
    private func track(_ arguments: [Bytes], _ traits: CommandTraits, _ reply: RESPValue) {
        var failed = false
        if case .error = reply { failed = true }
        switch (traits.name, arguments.count) {
        case ("select", 2) where !failed:
            database = Int(Int32(clamping: leadingInteger(String(decoding: arguments[1], as: UTF8.self))))
        case ("auth", 2), ("auth", 3):
            if database != 0, let link = connection,
               case .error(let text)? = try? link.call(["SELECT", String(database)]) {
                console.error("SELECT \(database) failed: \(text)")
            }
        case ("multi", 1) where !failed:
            inTransaction = true
            databaseBeforeTransaction = database
        case ("exec", 1) where inTransaction:
            inTransaction = false
            if failed { database = databaseBeforeTransaction }
        case ("discard", 1) where !failed:
            inTransaction = false
            database = databaseBeforeTransaction
        default:
            break
        }
    }
}
