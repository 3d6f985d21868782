// OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP.
//
// Rules (Redis 7.0 objectCommand):
// - A missing key answers the null bulk (before any policy check).
// - ENCODING: see KeyObjectEncoding.
// - REFCOUNT: Redis shares the objects of the integers 0...9999 (refcount
//   INT_MAX, 2147483647) unless maxmemory is set with an LRU/LFU policy; every
//   other value has one reference.
// - IDLETIME: Vigil keeps no access clock, so a key is always 0 seconds idle;
//   refused, as Redis does, when an LFU policy is selected.
// - FREQ: refused unless an LFU policy is selected; then Redis's initial
//   counter (5), as no access frequency is tracked.
// - Wrong argument counts name the subcommand ("object|encoding"); an unknown
//   subcommand is "unknown subcommand '<x>'. Try OBJECT HELP.".

import RESP
import Keyspace

/// OBJECT (a container command: flags and keys are its subcommands', as Redis reports it).
func objectCommandSpec() -> CommandSpec {
    CommandSpec("object", arity: -2, flags: [], keys: (0, 0, 0), categories: ["@slow"], handler: objectCommand)
}

private enum ObjectSubcommand {
    case encoding, refcount, idletime, freq, help
}

private func objectCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let sub: ObjectSubcommand
    if ctx.argIs(1, "encoding") { sub = .encoding }
    else if ctx.argIs(1, "refcount") { sub = .refcount }
    else if ctx.argIs(1, "idletime") { sub = .idletime }
    else if ctx.argIs(1, "freq") { sub = .freq }
    else if ctx.argIs(1, "help") { sub = .help }
    else { throw .unknownSubcommand(ctx.string(1), of: "object") }

    let expectedCount = sub == .help ? 2 : 3
    guard ctx.args.count == expectedCount else { throw .arity("object|\(ctx.string(1).lowercased())") }
    if sub == .help {
        replyHelp(&ctx, "OBJECT", [
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ])
        return
    }
    guard let value = ctx.read(ctx.args[2]) else {
        ctx.reply.null()
        return
    }
    let policy = ctx.server.config.string("maxmemory-policy")
    let lfu = policy.hasSuffix("-lfu")
    switch sub {
    case .encoding:
        let name = objectEncodingName(of: value, limits: ObjectEncodingLimits(config: ctx.server))
        name.withUTF8Buffer { ctx.reply.bulk(bytes: $0) }
    case .refcount:
        ctx.reply.integer(isSharedInteger(value, policy: policy, maxmemory: ctx.server.config.int("maxmemory"))
                          ? Int(Int32.max) : 1)
    case .idletime:
        if lfu { throw .objectLFUSelected }
        ctx.reply.integer(0)
    case .freq:
        if !lfu { throw .objectLFUNotSelected }
        ctx.reply.integer(5)
    case .help:
        break   // answered above
    }
}

/// True when Redis would hold `value` as one of its shared integer objects.
private func isSharedInteger(_ value: Value, policy: String, maxmemory: Int) -> Bool {
    guard case .string(let s) = value, isIntEncodable(s), let n = parseInt64(s), n >= 0, n < 10_000 else {
        return false
    }
    return maxmemory == 0 || !(policy.hasSuffix("-lru") || policy.hasSuffix("-lfu"))
}

extension CommandError {
    /// OBJECT IDLETIME under an LFU policy.
    static let objectLFUSelected = CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
    /// OBJECT FREQ without an LFU policy.
    static let objectLFUNotSelected = CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
}
