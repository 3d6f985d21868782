// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH with Redis semantics —
// commands are queued (errors found while queueing doom the transaction:
// EXECABORT), EXEC runs them back to back with no other client in between,
// and a write to a WATCHed key makes EXEC answer a null array.

import RESP

func transactionCommands() -> [CommandSpec] {
    [
        CommandSpec("multi", arity: 1, flags: [.noQueue, .fast, .loading, .stale], categories: ["@fast", "@transaction"], handler: multi),
        CommandSpec("exec", arity: 1, flags: [.noQueue, .loading, .stale], categories: ["@slow", "@transaction"], handler: exec),
        CommandSpec("discard", arity: 1, flags: [.noQueue, .fast, .loading, .stale], categories: ["@fast", "@transaction"], handler: discard),
        CommandSpec("watch", arity: -2, flags: [.noQueue, .fast, .loading, .stale], keys: (1, -1, 1), categories: ["@fast", "@transaction"], handler: watch),
        CommandSpec("unwatch", arity: 1, flags: [.noQueue, .fast, .loading, .stale], categories: ["@fast", "@transaction"], handler: unwatch),
    ]
}

private func multi(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.client.transaction == nil else { throw CommandError("ERR MULTI calls can not be nested") }
    ctx.client.transaction = Transaction()
    ctx.reply.simple("OK")
}

private func exec(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server, client = ctx.client
    guard let transaction = client.transaction else { throw CommandError("ERR EXEC without MULTI") }
    client.transaction = nil
    if transaction.aborted {
        server.unwatchAll(client)
        throw CommandError("EXECABORT Transaction discarded because of previous errors.")
    }
    if client.watchInvalidated {
        server.unwatchAll(client)
        ctx.reply.nullArray()
        return
    }
    server.unwatchAll(client)
    server.beginTransactionPropagation()
    defer { server.endTransactionPropagation(database: client.databaseIndex) }
    ctx.reply.arrayHeader(transaction.queued.count)
    for args in transaction.queued {
        guard let spec = server.commands.lookup(args[0]) else {
            client.reply.error("ERR unknown command")
            continue
        }
        server.call(client, spec, args: args, mayBlock: false)
    }
    server.absorbKeyspaceLogs()
}

private func discard(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.client.transaction != nil else { throw CommandError("ERR DISCARD without MULTI") }
    ctx.client.transaction = nil
    ctx.server.unwatchAll(ctx.client)
    ctx.reply.simple("OK")
}

private func watch(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.client.transaction == nil else { throw CommandError("ERR WATCH inside MULTI is not allowed") }
    for key in ctx.args.dropFirst() { ctx.server.watch(ctx.client, key: key) }
    ctx.reply.simple("OK")
}

private func unwatch(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.server.unwatchAll(ctx.client)
    ctx.reply.simple("OK")
}
