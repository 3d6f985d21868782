// Tests of HelloMessage: the __sentinel__:hello payload, rendered as Redis's
// sentinelSendHello does and parsed strictly (it is network input).

import Testing
@testable import SentinelCore

private let id = "0123456789abcdef0123456789abcdef01234567"

private let sample = HelloMessage(announceIP: "10.0.0.5", announcePort: 26379, runID: id, currentEpoch: 7,
                                  masterName: "mymaster", masterIP: "10.0.0.1", masterPort: 6379,
                                  masterConfigEpoch: 6)

@Suite struct HelloMessageTests {
    @Test func rendersLikeRedis() {
        #expect(sample.payload == "10.0.0.5,26379,\(id),7,mymaster,10.0.0.1,6379,6")
    }

    @Test func parsesWhatRedisSends() {
        #expect(HelloMessage(payload: "10.0.0.5,26379,\(id),7,mymaster,10.0.0.1,6379,6") == sample)
    }

    @Test(arguments: [
        sample,
        HelloMessage(announceIP: "::1", announcePort: 1, runID: id, currentEpoch: 0, masterName: "a b:c'\"é",
                     masterIP: "fe80::1", masterPort: 65535, masterConfigEpoch: UInt64(Int64.max)),
        HelloMessage(announceIP: "sentinel-1.example.com", announcePort: 5000, runID: id, currentEpoch: UInt64(Int64.max),
                     masterName: "m", masterIP: "redis-a.example.com", masterPort: 6380, masterConfigEpoch: 0),
    ])
    func roundTrips(message: HelloMessage) {
        #expect(HelloMessage(payload: message.payload) == message)
    }

    @Test(arguments: [
        "",
        ",,,,,,,",
        "10.0.0.5,26379,\(id),7,mymaster,10.0.0.1,6379",            // 7 tokens
        "10.0.0.5,26379,\(id),7,mymaster,10.0.0.1,6379,6,",          // 9 tokens
        "10.0.0.5,26379,\(id),7,my,master,10.0.0.1,6379,6",          // ',' in name
        "10.0.0.5,0,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,65536,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,+1,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,-1,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,0100,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5, 26379,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,26379x,\(id),7,m,10.0.0.1,6379,6",
        "10.0.0.5,26379,\(id),7,m,10.0.0.1,0,6",
        "10.0.0.5,26379,\(id),7,m,10.0.0.1,abc,6",
        "10.0.0.5,26379,\(id.dropLast()),7,m,10.0.0.1,6379,6",       // 39 chars
        "10.0.0.5,26379,\(id)0,7,m,10.0.0.1,6379,6",                 // 41 chars
        "10.0.0.5,26379,\(id.uppercased()),7,m,10.0.0.1,6379,6",     // uppercase hex
        "10.0.0.5,26379,\(String(repeating: "g", count: 40)),7,m,10.0.0.1,6379,6",
        "10.0.0.5,26379,\(id),-1,m,10.0.0.1,6379,6",
        "10.0.0.5,26379,\(id),07,m,10.0.0.1,6379,6",
        "10.0.0.5,26379,\(id),18446744073709551616,m,10.0.0.1,6379,6", // UInt64.max + 1
        "10.0.0.5,26379,\(id),9223372036854775808,m,10.0.0.1,6379,6",  // Int64.max + 1: more than is-master-down-by-addr carries
        "10.0.0.5,26379,\(id),7,m,10.0.0.1,6379,18446744073709551615",
        "10.0.0.5,26379,\(id),7,m,10.0.0.1,6379,",
        "10.0.0.5,26379,\(id),7,m,10.0.0.1,6379,1e3",
        "10.0.0.5,26379,\(id),,m,10.0.0.1,6379,6",
        "10.0.0.5,26379,\(id),7,,10.0.0.1,6379,6",                   // empty name
        ",26379,\(id),7,m,10.0.0.1,6379,6",                          // empty ip
        "10.0.0.5,26379,\(id),7,m,,6379,6",                          // empty master ip
        "10.0.0 5,26379,\(id),7,m,10.0.0.1,6379,6",                  // blank in ip
        "10.0.0.5,26379,\(id),7,m,10.0.0.1\r\n,6379,6",
    ])
    func rejectsMalformedPayloads(payload: String) {
        #expect(HelloMessage(payload: payload) == nil)
    }

    @Test func acceptsEpochsUpToInt64Max() {
        let max = UInt64(Int64.max)
        let m = HelloMessage(payload: "h,1,\(id),\(max),m,h,2,\(max)")
        #expect(m?.currentEpoch == max && m?.masterConfigEpoch == max)
    }

    @Test func channelIsRedisChannel() {
        #expect(HelloMessage.channel == "__sentinel__:hello")
    }

    @Test func randomPayloadsNeverTrap() {
        var rng = Mix64(seed: 42)
        let pieces = ["10.0.0.5", "26379", id, "7", "m", ",", "", "-", "0", "99999999999999999999999", "\u{0}", "é", " "]
        for _ in 0..<3_000 {
            let count = Int(rng.next() % 20)
            let text = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            if let m = HelloMessage(payload: text) {
                #expect(HelloMessage(payload: m.payload) == m)
            }
        }
    }
}

/// SplitMix64: a tiny deterministic generator for the fuzz loop.
private struct Mix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
