// PubSub: channel and pattern subscriptions and message delivery.
// Messages go straight into subscribers' reply buffers (RESP2 arrays, RESP3
// push frames) and are flushed before the loop sleeps; a subscriber that does
// not read hits the pubsub output-buffer limit and is disconnected.

import RESP
import Keyspace

/// Which clients subscribe to which channels and patterns (by client id, in subscription order).
public struct PubSubRegistry {
    private(set) var channels: [Bytes: [Int]] = [:]
    private(set) var patterns: [Bytes: [Int]] = [:]

    /// Number of patterns with at least one subscriber (PUBSUB NUMPAT counts subscriptions in 7.0: see `patternSubscriptionCount`).
    public var patternCount: Int { patterns.count }
    public var channelCount: Int { channels.count }
    /// Total pattern subscriptions (PUBSUB NUMPAT).
    public var patternSubscriptionCount: Int { patterns.values.reduce(0) { $0 + $1.count } }

    func subscribers(of channel: Bytes) -> [Int] { channels[channel] ?? [] }

    /// Active channels, optionally filtered by a glob pattern (PUBSUB CHANNELS).
    func activeChannels(matching pattern: Bytes?) -> [Bytes] {
        channels.keys.filter { pattern == nil || globMatch(pattern: pattern ?? [], string: $0) }
    }

    mutating func subscribe(_ id: Int, channel: Bytes) { channels[channel, default: []].append(id) }
    mutating func unsubscribe(_ id: Int, channel: Bytes) {
        channels[channel]?.removeAll { $0 == id }
        if channels[channel]?.isEmpty == true { channels[channel] = nil }
    }
    mutating func psubscribe(_ id: Int, pattern: Bytes) { patterns[pattern, default: []].append(id) }
    mutating func punsubscribe(_ id: Int, pattern: Bytes) {
        patterns[pattern]?.removeAll { $0 == id }
        if patterns[pattern]?.isEmpty == true { patterns[pattern] = nil }
    }

    /// Drops every subscription of a closing client.
    mutating func removeAll(for client: Client) {
        for c in client.channels { unsubscribe(client.id, channel: c) }
        for p in client.patterns { punsubscribe(client.id, pattern: p) }
        client.channels.removeAll()
        client.patterns.removeAll()
    }

    /// Patterns matching `channel` with their subscribers.
    func matchingPatterns(_ channel: Bytes) -> [(Bytes, [Int])] {
        patterns.compactMap { globMatch(pattern: $0.key, string: channel) ? ($0.key, $0.value) : nil }
    }
}

extension Server {
    /// Delivers `message` on `channel`; returns the number of receivers (PUBLISH's reply).
    @discardableResult
    public func publish(channel: Bytes, message: Bytes) -> Int {
        var receivers = 0
        for id in pubsub.subscribers(of: channel) {
            guard let client = clients[id] else { continue }
            client.reply.pushHeader(3)
            client.reply.bulk("message")
            client.reply.bulk(channel)
            client.reply.bulk(message)
            deliver(client)
            receivers += 1
        }
        for (pattern, ids) in pubsub.matchingPatterns(channel) {
            for id in ids {
                guard let client = clients[id] else { continue }
                client.reply.pushHeader(4)
                client.reply.bulk("pmessage")
                client.reply.bulk(pattern)
                client.reply.bulk(channel)
                client.reply.bulk(message)
                deliver(client)
                receivers += 1
            }
        }
        return receivers
    }

    /// Queues a subscriber's output and enforces its output-buffer limit.
    private func deliver(_ client: Client) {
        scheduleFlush(client)
        enforceOutputLimits(client)
    }
}
