// Connection commands: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET.

import RESP
import Keyspace

func connectionCommands() -> [CommandSpec] {
    [
        CommandSpec("ping", arity: -1, flags: [.fast, .stale, .loading, .pubsub], categories: ["@fast", "@connection"], handler: ping),
        CommandSpec("echo", arity: 2, flags: [.fast, .stale, .loading], categories: ["@fast", "@connection"], handler: echo),
        CommandSpec("select", arity: 2, flags: [.fast, .stale, .loading], categories: ["@fast", "@connection"], handler: select),
        CommandSpec("auth", arity: -2, flags: [.noAuth, .fast, .stale, .loading, .noQueue], categories: ["@fast", "@connection"], handler: auth),
        CommandSpec("hello", arity: -1, flags: [.noAuth, .fast, .stale, .loading, .noQueue], categories: ["@fast", "@connection"], handler: hello),
        CommandSpec("quit", arity: -1, flags: [.noAuth, .fast, .stale, .loading, .pubsub, .noQueue], categories: ["@fast", "@connection"], handler: quit),
        CommandSpec("reset", arity: 1, flags: [.noAuth, .fast, .stale, .loading, .pubsub, .noQueue], categories: ["@fast", "@connection"], handler: reset),
    ]
}

private func ping(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.args.count <= 2 else { throw .arity("ping") }
    if ctx.client.reply.protocolVersion == 2, ctx.client.subscriptionCount > 0 {
        ctx.reply.arrayHeader(2)
        ctx.reply.bulk("pong")
        ctx.reply.bulk(ctx.args.count == 2 ? ctx.args[1] : [])
    } else if ctx.args.count == 2 {
        ctx.reply.bulk(ctx.args[1])
    } else {
        ctx.reply.simple("PONG")
    }
}

private func echo(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.bulk(ctx.args[1])
}

private func select(_ ctx: inout CommandContext) throws(CommandError) {
    guard let index = parseInt64(ctx.args[1]), index >= Int64(Int32.min), index <= Int64(Int32.max) else {
        throw .notInteger
    }
    guard index >= 0, index < Int64(ctx.server.databases.count) else { throw .invalidDBIndex }
    ctx.client.databaseIndex = Int(index)
    ctx.reply.simple("OK")
}

extension CommandError {
    static let wrongPass = CommandError("WRONGPASS invalid username-password pair or user is disabled.")
    static let authWithoutPassword = CommandError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
}

/// Checks a username/password pair against the default user (the only ACL user).
private func credentialsValid(_ server: Server, user: Bytes?, password: Bytes) -> Bool {
    let required = server.config.string("requirepass")
    if let user, user != Array("default".utf8) { return false }
    if required.isEmpty { return true }
    return password == Array(required.utf8)
}

private func auth(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.args.count <= 3 else { throw .syntax }
    let user: Bytes? = ctx.args.count == 3 ? ctx.args[1] : nil
    let password = ctx.args[ctx.args.count - 1]
    if user == nil, ctx.server.config.string("requirepass").isEmpty { throw .authWithoutPassword }
    guard credentialsValid(ctx.server, user: user, password: password) else {
        ctx.server.logger.verbose("Failed authentication attempt from \(ctx.client.address)")
        throw .wrongPass
    }
    ctx.client.authenticated = true
    ctx.client.parser.requireAuthLimits = false
    ctx.reply.simple("OK")
}

private func hello(_ ctx: inout CommandContext) throws(CommandError) {
    var version = ctx.client.reply.protocolVersion
    var index = 1
    if ctx.args.count > 1 {
        guard let v = parseInt64(ctx.args[1]) else {
            throw CommandError("ERR Protocol version is not an integer or out of range")
        }
        guard v == 2 || v == 3 else { throw CommandError("NOPROTO unsupported protocol version") }
        version = Int(v)
        index = 2
    }
    var name: Bytes?
    var credentials: (Bytes, Bytes)?
    while index < ctx.args.count {
        let remaining = ctx.args.count - index - 1
        if ctx.argIs(index, "auth"), remaining >= 2 {
            credentials = (ctx.args[index + 1], ctx.args[index + 2])
            index += 3
        } else if ctx.argIs(index, "setname"), remaining >= 1 {
            name = ctx.args[index + 1]
            index += 2
        } else {
            throw CommandError("ERR Syntax error in HELLO option '\(ctx.string(index))'")
        }
    }
    if let (user, password) = credentials {
        guard credentialsValid(ctx.server, user: user, password: password) else { throw .wrongPass }
        ctx.client.authenticated = true
        ctx.client.parser.requireAuthLimits = false
    }
    guard ctx.client.authenticated else {
        throw CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
    }
    if let name {
        guard isValidClientName(name) else { throw .invalidClientName }
        ctx.client.name = name
    }
    ctx.client.reply.protocolVersion = version
    // A sentinel says mode "sentinel" and has no role entry, as Redis.
    let isSentinel = ctx.server.mode == .sentinel
    ctx.reply.mapHeader(isSentinel ? 6 : 7)
    ctx.reply.bulk("server"); ctx.reply.bulk("redis")
    ctx.reply.bulk("version"); ctx.reply.bulk(ServerInfo.redisVersion)
    ctx.reply.bulk("proto"); ctx.reply.integer(version)
    ctx.reply.bulk("id"); ctx.reply.integer(ctx.client.id)
    ctx.reply.bulk("mode"); ctx.reply.bulk(isSentinel ? "sentinel" : "standalone")
    if !isSentinel { ctx.reply.bulk("role"); ctx.reply.bulk(ctx.server.helloRoleWord) }
    ctx.reply.bulk("modules"); ctx.reply.arrayHeader(0)
}

private func quit(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.simple("OK")
    ctx.client.closeAfterReply = true
}

private func reset(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server, client = ctx.client
    client.transaction = nil
    server.unwatchAll(client)
    server.pubsub.removeAll(for: client)
    if client.isMonitor {
        client.isMonitor = false
        server.monitors.removeAll { $0 == client.id }
    }
    client.databaseIndex = 0
    client.reply.protocolVersion = 2
    client.replyMode = .on
    client.name = []
    if !server.config.string("requirepass").isEmpty {
        client.authenticated = false
        client.parser.requireAuthLimits = true
    }
    ctx.reply.simple("RESET")
}

extension CommandError {
    static let invalidClientName = CommandError("ERR Client names cannot contain spaces, newlines or special characters.")
}

/// Redis's rule: printable ASCII without spaces.
func isValidClientName(_ name: Bytes) -> Bool {
    name.allSatisfy { $0 > 0x20 && $0 < 0x7F }
}
