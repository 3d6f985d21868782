// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB.
// Confirmations are one reply per channel ([kind, channel, count]); in RESP3
// they are push frames, like the messages themselves.

import RESP
import Keyspace

func pubsubCommands() -> [CommandSpec] {
    [
        CommandSpec("subscribe", arity: -2, flags: [.pubsub, .loading, .stale], categories: ["@pubsub", "@slow"], handler: subscribe),
        CommandSpec("unsubscribe", arity: -1, flags: [.pubsub, .loading, .stale], categories: ["@pubsub", "@slow"], handler: unsubscribe),
        CommandSpec("psubscribe", arity: -2, flags: [.pubsub, .loading, .stale], categories: ["@pubsub", "@slow"], handler: psubscribe),
        CommandSpec("punsubscribe", arity: -1, flags: [.pubsub, .loading, .stale], categories: ["@pubsub", "@slow"], handler: punsubscribe),
        CommandSpec("publish", arity: 3, flags: [.pubsub, .loading, .stale, .fast, .mayReplicate], categories: ["@pubsub", "@fast"], handler: publish),
        CommandSpec("pubsub", arity: -2, flags: [.pubsub, .loading, .stale], categories: ["@pubsub", "@slow"], handler: pubsubIntrospection),
    ]
}

private func confirm(_ ctx: inout CommandContext, _ kind: StaticString, _ name: Bytes?) {
    ctx.reply.pushHeader(3)
    ctx.reply.bulk(kind.description)
    if let name { ctx.reply.bulk(name) } else { ctx.reply.null() }
    ctx.reply.integer(ctx.client.subscriptionCount)
}

private func subscribe(_ ctx: inout CommandContext) throws(CommandError) {
    for channel in ctx.args.dropFirst() {
        if ctx.client.channels.insert(channel).inserted { ctx.server.pubsub.subscribe(ctx.client.id, channel: channel) }
        confirm(&ctx, "subscribe", channel)
    }
}

private func unsubscribe(_ ctx: inout CommandContext) throws(CommandError) {
    let channels = ctx.args.count > 1 ? Array(ctx.args.dropFirst()) : Array(ctx.client.channels)
    if channels.isEmpty { confirm(&ctx, "unsubscribe", nil) }
    for channel in channels {
        if ctx.client.channels.remove(channel) != nil { ctx.server.pubsub.unsubscribe(ctx.client.id, channel: channel) }
        confirm(&ctx, "unsubscribe", channel)
    }
}

private func psubscribe(_ ctx: inout CommandContext) throws(CommandError) {
    for pattern in ctx.args.dropFirst() {
        if ctx.client.patterns.insert(pattern).inserted { ctx.server.pubsub.psubscribe(ctx.client.id, pattern: pattern) }
        confirm(&ctx, "psubscribe", pattern)
    }
}

private func punsubscribe(_ ctx: inout CommandContext) throws(CommandError) {
    let patterns = ctx.args.count > 1 ? Array(ctx.args.dropFirst()) : Array(ctx.client.patterns)
    if patterns.isEmpty { confirm(&ctx, "punsubscribe", nil) }
    for pattern in patterns {
        if ctx.client.patterns.remove(pattern) != nil { ctx.server.pubsub.punsubscribe(ctx.client.id, pattern: pattern) }
        confirm(&ctx, "punsubscribe", pattern)
    }
}

private func publish(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.server.stats.pubsubMessages += 1
    let receivers = ctx.server.publish(channel: ctx.args[1], message: ctx.args[2])
    ctx.reply.integer(receivers)
}

private func pubsubIntrospection(_ ctx: inout CommandContext) throws(CommandError) {
    let registry = ctx.server.pubsub
    if ctx.argIs(1, "channels"), ctx.args.count <= 3 {
        let channels = registry.activeChannels(matching: ctx.args.count == 3 ? ctx.args[2] : nil)
        ctx.reply.arrayHeader(channels.count)
        for c in channels { ctx.reply.bulk(c) }
    } else if ctx.argIs(1, "numsub") {
        ctx.reply.arrayHeader(2 * (ctx.args.count - 2))
        for channel in ctx.args.dropFirst(2) {
            ctx.reply.bulk(channel)
            ctx.reply.integer(registry.subscribers(of: channel).count)
        }
    } else if ctx.argIs(1, "numpat"), ctx.args.count == 2 {
        ctx.reply.integer(registry.patternSubscriptionCount)
    } else if ctx.argIs(1, "shardchannels") {
        ctx.reply.arrayHeader(0)
    } else if ctx.argIs(1, "shardnumsub") {
        ctx.reply.arrayHeader(2 * (ctx.args.count - 2))
        for channel in ctx.args.dropFirst(2) {
            ctx.reply.bulk(channel)
            ctx.reply.integer(0)
        }
    } else if ctx.argIs(1, "help"), ctx.args.count == 2 {
        replyHelp(&ctx, "PUBSUB", [
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
        ])
    } else {
        throw .unknownSubcommand(ctx.string(1), of: "pubsub")
    }
}

/// Replies with a HELP listing in Redis's shape (simple strings, header and HELP footer).
public func replyHelp(_ ctx: inout CommandContext, _ command: String, _ lines: [String]) {
    ctx.reply.arrayHeader(lines.count + 3)
    ctx.reply.simple("\(command) <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
    for line in lines { ctx.reply.simple(line) }
    ctx.reply.simple("HELP")
    ctx.reply.simple("    Prints this help.")
}
