// CLIENT: connection introspection and control — ID, SETNAME, GETNAME,
// SETINFO, LIST, INFO, KILL, PAUSE, UNPAUSE, REPLY, UNBLOCK, NO-EVICT, HELP.

import RESP
import Keyspace

func clientCommand() -> CommandSpec {
    CommandSpec("client", arity: -2, flags: [.admin, .loading, .stale], categories: ["@slow", "@connection"], handler: client)
}

private func client(_ ctx: inout CommandContext) throws(CommandError) {
    let n = ctx.args.count
    switch ctx.string(1).lowercased() {
    case "id" where n == 2:
        ctx.reply.integer(ctx.client.id)
    case "getname" where n == 2:
        if ctx.client.name.isEmpty { ctx.reply.null() } else { ctx.reply.bulk(ctx.client.name) }
    case "setname" where n == 3:
        guard isValidClientName(ctx.args[2]) else { throw .invalidClientName }
        ctx.client.name = ctx.args[2]
        ctx.reply.simple("OK")
    case "setinfo" where n == 4:
        let value = ctx.string(3)
        guard value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw CommandError("ERR \(ctx.string(2)) cannot contain spaces, newlines or special characters.")
        }
        if ctx.argIs(2, "lib-name") { ctx.client.libraryName = value }
        else if ctx.argIs(2, "lib-ver") { ctx.client.libraryVersion = value }
        else { throw CommandError("ERR Unrecognized option '\(ctx.string(2))'") }
        ctx.reply.simple("OK")
    case "list":
        try clientList(&ctx)
    case "info" where n == 2:
        ctx.reply.verbatim(ctx.server.clientInfoLine(ctx.client) + "\n")
    case "kill":
        try clientKill(&ctx)
    case "pause" where n == 3 || n == 4:
        guard let ms = parseInt64(ctx.args[2]), ms >= 0 else {
            throw CommandError("ERR timeout is not an integer or out of range")
        }
        var mode = PauseState.Mode.all
        if n == 4 {
            if ctx.argIs(3, "write") { mode = .write } else if ctx.argIs(3, "all") { mode = .all } else { throw .syntax }
        }
        ctx.server.pauseClients(milliseconds: ms, mode: mode)
        ctx.reply.simple("OK")
    case "unpause" where n == 2:
        ctx.server.unpauseClients()
        ctx.reply.simple("OK")
    case "reply" where n == 3:
        if ctx.argIs(2, "on") {
            ctx.client.replyMode = .on
            ctx.reply.simple("OK")
        } else if ctx.argIs(2, "off") {
            ctx.client.replyMode = .off
        } else if ctx.argIs(2, "skip") {
            if ctx.client.replyMode == .on { ctx.client.replyMode = .skipNext }
        } else {
            throw .syntax
        }
    case "unblock" where n == 3 || n == 4:
        guard let id = parseInt64(ctx.args[2]) else { throw .notInteger }
        var asError = false
        if n == 4 {
            if ctx.argIs(3, "error") { asError = true } else if !ctx.argIs(3, "timeout") {
                throw CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
            }
        }
        guard let target = ctx.server.clients[Int(id)], let state = target.blocked else {
            ctx.reply.integer(0)
            return
        }
        ctx.server.unblock(target)
        if asError {
            target.reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        } else {
            switch state.timeoutReply {
            case .nullArray: target.reply.nullArray()
            case .nullBulk: target.reply.null()
            }
        }
        ctx.server.resumeAfterUnblock(target)
        ctx.reply.integer(1)
    case "no-evict" where n == 3, "no-touch" where n == 3:
        guard ctx.argIs(2, "on") || ctx.argIs(2, "off") else { throw .syntax }
        ctx.reply.simple("OK")
    case "help" where n == 2:
        replyHelp(&ctx, "CLIENT", [
            "GETNAME", "    Return the name of the current connection.",
            "ID", "    Return the ID of the current connection.",
            "INFO", "    Return information about the current client connection.",
            "KILL <ip:port>", "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
            "    * ID <client-id>", "      Kill connections by client id.",
            "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
            "LIST [options ...]", "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
            "UNPAUSE", "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
            "SETNAME <name>", "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
        ])
    default:
        throw .unknownSubcommand(ctx.string(1), of: "client")
    }
}

/// The kind CLIENT LIST / KILL TYPE see: a normal client with subscriptions is "pubsub".
func effectiveKind(_ client: Client) -> ClientKind {
    client.kind == .normal && client.subscriptionCount > 0 ? .pubsub : client.kind
}

private func parseKind(_ word: String) -> ClientKind? {
    switch word.lowercased() {
    case "normal": .normal
    case "pubsub": .pubsub
    case "replica", "slave": .replica
    case "master": .master
    default: nil
    }
}

private func clientList(_ ctx: inout CommandContext) throws(CommandError) {
    var selected = ctx.server.clients.values.sorted { $0.id < $1.id }
    var i = 2
    while i < ctx.args.count {
        if ctx.argIs(i, "type"), i + 1 < ctx.args.count {
            guard let kind = parseKind(ctx.string(i + 1)) else {
                throw CommandError("ERR Unknown client type '\(ctx.string(i + 1))'")
            }
            selected = selected.filter { effectiveKind($0) == kind }
            i += 2
        } else if ctx.argIs(i, "id"), i + 1 < ctx.args.count {
            var ids = Set<Int>()
            for j in (i + 1)..<ctx.args.count {
                guard let id = parseInt64(ctx.args[j]), id > 0 else { throw CommandError("ERR Invalid client ID") }
                ids.insert(Int(id))
            }
            selected = selected.filter { ids.contains($0.id) }
            i = ctx.args.count
        } else {
            throw .syntax
        }
    }
    var text = ""
    for c in selected { text += ctx.server.clientInfoLine(c) + "\n" }
    ctx.reply.verbatim(text)
}

private func clientKill(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server
    // Old form: CLIENT KILL addr:port → +OK or an error.
    if ctx.args.count == 3 {
        let address = ctx.string(2)
        guard let target = server.clients.values.first(where: { $0.address == address }) else {
            throw CommandError("ERR No such client")
        }
        ctx.reply.simple("OK")
        killClient(server, target, caller: ctx.client)
        return
    }
    guard ctx.args.count % 2 == 0 else { throw .syntax }
    var id: Int?, address: String?, localAddress: String?, kind: ClientKind?, skipMe = true, user: String?
    var i = 2
    while i + 1 < ctx.args.count {
        let value = ctx.string(i + 1)
        switch ctx.string(i).lowercased() {
        case "id":
            guard let v = parseInt64(ctx.args[i + 1]), v > 0 else {
                throw CommandError("ERR client-id should be greater than 0")
            }
            id = Int(v)
        case "addr": address = value
        case "laddr": localAddress = value
        case "type":
            guard let k = parseKind(value) else { throw CommandError("ERR Unknown client type '\(value)'") }
            kind = k
        case "user": user = value
        case "skipme":
            if value.lowercased() == "yes" { skipMe = true } else if value.lowercased() == "no" { skipMe = false } else { throw .syntax }
        default:
            throw .syntax
        }
        i += 2
    }
    let victims = server.clients.values.filter { c in
        if let id, c.id != id { return false }
        if let address, c.address != address { return false }
        if let localAddress, c.localAddress != localAddress { return false }
        if let kind, effectiveKind(c) != kind { return false }
        if let user, user != "default" { return false }
        if skipMe, c === ctx.client { return false }
        return true
    }
    ctx.reply.integer(victims.count)
    for victim in victims { killClient(server, victim, caller: ctx.client) }
}

/// Kills a client; the caller itself is closed after its reply is written.
private func killClient(_ server: Server, _ victim: Client, caller: Client) {
    if victim === caller {
        victim.closeAfterReply = true
    } else {
        server.close(victim)
    }
}

extension Server {
    /// One line of CLIENT LIST in Redis 7.0's field order.
    func clientInfoLine(_ c: Client) -> String {
        let now = self.now
        var flags = ""
        if c.kind == .replica { flags += "S" }
        if c.kind == .master { flags += "M" }
        if effectiveKind(c) == .pubsub { flags += "P" }
        if c.transaction != nil { flags += "x" }
        if c.blocked != nil { flags += "b" }
        if c.watchInvalidated { flags += "d" }
        if c.closeAfterReply { flags += "c" }
        if c.isMonitor { flags += "O" }
        if flags.isEmpty { flags = "N" }
        let events = c.waitingForWritable ? "rw" : "r"
        let multi = c.transaction.map { String($0.queued.count) } ?? "-1"
        let qbuf = c.readBuffer.readableCount
        let qbufFree = max(0, c.readBuffer.capacity - qbuf)
        let omem = c.pendingOutput
        return "id=\(c.id) addr=\(c.address) laddr=\(c.localAddress) fd=\(c.fd) name=\(String(decoding: c.name, as: UTF8.self)) age=\((now - c.createdAt) / 1000) idle=\((now - c.lastInteraction) / 1000) flags=\(flags) db=\(c.databaseIndex) sub=\(c.channels.count) psub=\(c.patterns.count) ssub=0 multi=\(multi) qbuf=\(qbuf) qbuf-free=\(qbufFree) argv-mem=0 multi-mem=0 rbs=\(c.readBuffer.capacity) rbp=\(qbuf) obl=0 oll=0 omem=\(omem) tot-mem=\(c.readBuffer.capacity + c.reply.bytes.capacity) events=\(events) cmd=\(c.lastCommand) user=default redir=-1 resp=\(c.reply.protocolVersion)"
    }
}
