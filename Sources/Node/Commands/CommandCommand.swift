// COMMAND: introspection of the command table — COUNT, LIST, INFO, DOCS,
// GETKEYS — in Redis 7.0's reply shapes (what redis-cli and client libraries read).

import RESP
import Keyspace

func commandCommand() -> CommandSpec {
    CommandSpec("command", arity: -1, flags: [.loading, .stale], categories: ["@slow", "@connection"], handler: command)
}

private func command(_ ctx: inout CommandContext) throws(CommandError) {
    let table = ctx.server.commands
    guard ctx.args.count > 1 else {
        ctx.reply.arrayHeader(table.specs.count)
        for spec in table.specs { replyInfo(&ctx, spec) }
        return
    }
    switch ctx.string(1).lowercased() {
    case "count" where ctx.args.count == 2:
        ctx.reply.integer(table.specs.count)
    case "list":
        var names = table.specs.map(\.name)
        if ctx.args.count == 5, ctx.argIs(2, "filterby"), ctx.argIs(3, "pattern") {
            names = names.filter { globMatch(pattern: ctx.args[4], string: Array($0.utf8), caseInsensitive: true) }
        } else if ctx.args.count != 2 {
            throw .syntax
        }
        ctx.reply.arrayHeader(names.count)
        for name in names { ctx.reply.bulk(name) }
    case "info":
        let specs: [CommandSpec?] = ctx.args.count == 2 ? table.specs : ctx.args.dropFirst(2).map { table.lookup($0) }
        ctx.reply.arrayHeader(specs.count)
        for spec in specs {
            if let spec { replyInfo(&ctx, spec) } else { ctx.reply.nullArray() }
        }
    case "docs":
        let specs = ctx.args.count == 2 ? table.specs : ctx.args.dropFirst(2).compactMap { table.lookup($0) }
        ctx.reply.mapHeader(specs.count)
        for spec in specs {
            ctx.reply.bulk(spec.name)
            ctx.reply.mapHeader(1)
            ctx.reply.bulk("group")
            ctx.reply.bulk(spec.group)
        }
    case "getkeys" where ctx.args.count >= 3:
        let args = Array(ctx.args.dropFirst(2))
        guard let spec = table.lookup(args[0]) else { throw CommandError("ERR Invalid command specified") }
        guard spec.acceptsArgumentCount(args.count) else {
            throw CommandError("ERR Invalid number of arguments specified for command")
        }
        let indices = spec.keyIndices(argumentCount: args.count)
        guard !indices.isEmpty else { throw CommandError("ERR The command has no key arguments") }
        ctx.reply.arrayHeader(indices.count)
        for i in indices { ctx.reply.bulk(args[i]) }
    case "help" where ctx.args.count == 2:
        replyHelp(&ctx, "COMMAND", [
            "(no subcommand)", "    Return details about all Redis commands.",
            "COUNT", "    Return the total number of commands in this Redis server.",
            "LIST", "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
            "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
            "GETKEYS <full-command>", "    Return the keys from a full Redis command.",
        ])
    default:
        throw .unknownSubcommand(ctx.string(1), of: "command")
    }
}

/// One COMMAND INFO entry: name, arity, flags, first/last/step, ACL categories, tips, key specs, subcommands.
private func replyInfo(_ ctx: inout CommandContext, _ spec: CommandSpec) {
    ctx.reply.arrayHeader(10)
    ctx.reply.bulk(spec.name)
    ctx.reply.integer(spec.arity)
    let flags = spec.flags.words
    ctx.reply.setHeader(flags.count)
    for f in flags { ctx.reply.simple(f) }
    ctx.reply.integer(spec.firstKey)
    ctx.reply.integer(spec.lastKey)
    ctx.reply.integer(spec.keyStep)
    ctx.reply.setHeader(spec.categories.count)
    for c in spec.categories { ctx.reply.simple(c) }
    ctx.reply.arrayHeader(0)
    ctx.reply.arrayHeader(0)
    ctx.reply.arrayHeader(0)
}

extension CommandSpec {
    /// The documentation group (generic, string, list …) from the ACL categories.
    var group: String {
        for c in categories {
            switch c {
            case "@string", "@list", "@hash", "@set", "@connection", "@transactions", "@pubsub", "@server":
                return String(c.dropFirst())
            case "@sortedset": return "sorted-set"
            case "@keyspace": return "generic"
            default: continue
            }
        }
        return "server"
    }
}
