// CONFIG: GET, SET, RESETSTAT, REWRITE, HELP over the Config module's store.
// SET is atomic (all or nothing) and its effects are applied to the running
// server at once (log level, limits, listeners' successors …).

import RESP
import Config

func configCommand() -> CommandSpec {
    CommandSpec("config", arity: -2, flags: [.admin, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: config)
}

private func config(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server
    switch ctx.string(1).lowercased() {
    case "get" where ctx.args.count >= 3:
        let pairs = server.config.get(patterns: (2..<ctx.args.count).map { ctx.string($0) })
        ctx.reply.mapHeader(pairs.count)
        for (name, value) in pairs {
            ctx.reply.bulk(name)
            ctx.reply.bulk(value)
        }
    case "set" where ctx.args.count >= 4 && ctx.args.count % 2 == 0:
        var pairs: [(String, String)] = []
        for i in stride(from: 2, to: ctx.args.count, by: 2) { pairs.append((ctx.string(i), ctx.string(i + 1))) }
        let before = server.config
        do {
            let changed = try server.config.set(pairs, isLocalClient: ctx.client.peer.isLoopback)
            try server.applyConfigChanges(changed)
        } catch let error as ConfigError {
            server.config = before
            throw CommandError(error.description)
        } catch let error as CommandError {
            server.config = before
            throw error
        } catch {
            server.config = before
            throw CommandError("ERR \(error)")
        }
        ctx.reply.simple("OK")
    case "resetstat" where ctx.args.count == 2:
        server.stats.reset()
        for spec in server.commands.specs {
            spec.counters.calls = 0
            spec.counters.failedCalls = 0
            spec.counters.microseconds = 0
        }
        ctx.reply.simple("OK")
    case "rewrite" where ctx.args.count == 2:
        do {
            try server.config.rewrite()
        } catch {
            server.logger.warning("CONFIG REWRITE failed: \(error.reason)")
            throw CommandError(error.description)
        }
        server.logger.notice("CONFIG REWRITE executed with success.")
        ctx.reply.simple("OK")
    case "help" where ctx.args.count == 2:
        replyHelp(&ctx, "CONFIG", [
            "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
            "RESETSTAT", "    Reset statistics reported by the INFO command.",
            "REWRITE", "    Rewrite the configuration file.",
        ])
    default:
        if ["get", "set", "resetstat", "rewrite", "help"].contains(ctx.string(1).lowercased()) {
            throw CommandError("ERR wrong number of arguments for 'config|\(ctx.string(1).lowercased())' command")
        }
        throw .unknownSubcommand(ctx.string(1), of: "config")
    }
}
