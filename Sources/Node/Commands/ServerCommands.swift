// Server commands: TIME, LASTSAVE, DEBUG, SHUTDOWN, MONITOR, plus the
// registration of CLIENT, INFO, CONFIG and COMMAND (each in its own file).

import Glibc
import RESP
import Keyspace
import EventLoop

func serverCommands() -> [CommandSpec] {
    [
        clientCommand(),
        infoCommand(),
        configCommand(),
        commandCommand(),
        CommandSpec("time", arity: 1, flags: [.loading, .stale, .fast], categories: ["@fast"], handler: time),
        CommandSpec("lastsave", arity: 1, flags: [.loading, .stale, .fast], categories: ["@fast", "@admin", "@dangerous"], handler: lastsave),
        CommandSpec("debug", arity: -2, flags: [.admin, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: debug),
        CommandSpec("shutdown", arity: -1, flags: [.admin, .noQueue, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: shutdown),
        CommandSpec("monitor", arity: 1, flags: [.admin, .noQueue, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: monitor),
    ]
}

private func time(_ ctx: inout CommandContext) throws(CommandError) {
    let micros = EventLoop.wallClockMicroseconds()
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk(String(micros / 1_000_000))
    ctx.reply.bulk(String(micros % 1_000_000))
}

private func lastsave(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(Int(ctx.server.lastSaveTime / 1000))
}

private func monitor(_ ctx: inout CommandContext) throws(CommandError) {
    guard !ctx.client.isMonitor else { return }
    ctx.client.isMonitor = true
    ctx.server.monitors.append(ctx.client.id)
    ctx.reply.simple("OK")
}

/// DEBUG is refused unless `enable-debug-command` allows it (yes, or local for loopback clients), as Redis 7.
private func debug(_ ctx: inout CommandContext) throws(CommandError) {
    let setting = ctx.server.config.string("enable-debug-command")
    guard setting == "yes" || (setting == "local" && ctx.client.peer.isLoopback) else {
        throw CommandError("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.")
    }
    switch ctx.string(1).lowercased() {
    case "sleep" where ctx.args.count == 3:
        guard let seconds = parseDouble(ctx.args[2]), seconds.isFinite, seconds >= 0, seconds < 86_400 * 365 else {
            throw .notFloat
        }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        ctx.reply.simple("OK")
    case "set-active-expire" where ctx.args.count == 3:
        guard let v = parseInt64(ctx.args[2]) else { throw .notInteger }
        ctx.server.activeExpireEnabled = v != 0
        ctx.reply.simple("OK")
    case "digest" where ctx.args.count == 2:
        ctx.reply.simple(DatasetDigest.digest(ctx.server.databases))
    case "digest-value" where ctx.args.count >= 2:
        ctx.reply.arrayHeader(ctx.args.count - 2)
        for key in ctx.args.dropFirst(2) {
            if let value = ctx.db.lookup(key, now: ctx.now) {
                ctx.reply.simple(DatasetDigest.hex(DatasetDigest.lanes(of: value)))
            } else {
                ctx.reply.simple(String(repeating: "0", count: 40))
            }
        }
    case "reload":
        do throws(PersistenceError) {
            try ctx.server.reloadFromDisk()
        } catch {
            throw CommandError("ERR Error trying to load the RDB dump: \(error.description)")
        }
        ctx.reply.simple("OK")
    case "help" where ctx.args.count == 2:
        replyHelp(&ctx, "DEBUG", [
            "DIGEST", "    Output a hex signature representing the current DB content (Vigil's own algorithm).",
            "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
            "RELOAD", "    Save the RDB on disk and reload it back to memory.",
            "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.",
            "SET-ACTIVE-EXPIRE <0|1>", "    Setting it to 0 disables expiring keys in background when they are not accessed.",
        ])
    default:
        throw .unknownSubcommand(ctx.string(1), of: "debug")
    }
}

/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT].
private func shutdown(_ ctx: inout CommandContext) throws(CommandError) {
    var save: Bool?
    var force = false
    for i in 1..<ctx.args.count {
        if ctx.argIs(i, "nosave") { save = false }
        else if ctx.argIs(i, "save") { save = true }
        else if ctx.argIs(i, "force") { force = true }
        else if ctx.argIs(i, "now") { continue }
        else if ctx.argIs(i, "abort") { throw CommandError("ERR No shutdown in progress.") }
        else { throw .syntax }
    }
    if let failure = ctx.server.prepareShutdown(save: save, force: force) {
        throw CommandError("ERR Errors trying to SHUTDOWN. Check logs.")
            .logged(ctx.server, failure)
    }
    // No reply: the connection closes, as with Redis.
    ctx.server.shutdown()
}

extension CommandError {
    /// Logs `detail` at warning level and returns self (for errors whose cause belongs in the log).
    func logged(_ server: Server, _ detail: String) -> CommandError {
        server.logger.warning(detail)
        return self
    }
}

func persistenceCommands() -> [CommandSpec] {
    [
        CommandSpec("save", arity: 1, flags: [.admin], categories: ["@admin", "@slow", "@dangerous"], handler: save),
        CommandSpec("bgsave", arity: -1, flags: [.admin], categories: ["@admin", "@slow", "@dangerous"], handler: bgsave),
    ]
}

private func save(_ ctx: inout CommandContext) throws(CommandError) {
    do throws(PersistenceError) {
        try ctx.server.saveNow()
    } catch {
        if ctx.server.persistence.backgroundSaveInProgress {
            throw CommandError("ERR Background save already in progress")
        }
        ctx.server.logger.warning(error.description)
        throw CommandError("ERR")
    }
    ctx.reply.simple("OK")
}

private func bgsave(_ ctx: inout CommandContext) throws(CommandError) {
    // SCHEDULE only defers a BGSAVE while another kind of child runs (an AOF
    // rewrite in Redis; Vigil has none): during a BGSAVE it is an error too (Redis 7.0).
    guard ctx.args.count == 1 || (ctx.args.count == 2 && ctx.argIs(1, "schedule")) else { throw .syntax }
    if ctx.server.persistence.backgroundSaveInProgress {
        throw CommandError("ERR Background save already in progress")
    }
    ctx.server.startBackgroundSave()
    ctx.reply.simple("Background saving started")
}
