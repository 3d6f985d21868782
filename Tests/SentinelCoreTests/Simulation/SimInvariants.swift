// SimInvariants: the safety properties of DESIGN §3, checked on every
// action a sentinel performs (the liveness property, convergence, is
// checked by Simulation at the end of the settle period):
//
//   1. At most one sentinel is elected (`+elected-leader` of a non-forced
//      failover) per epoch, and no sentinel's vote for an epoch ever
//      changes — across restarts too; a vote a peer reports in a reply
//      must be one it actually cast.
//   2. A non-forced failover sends SLAVEOF NO ONE only when a majority of
//      all configured sentinels voted for its sentinel in its epoch.
//   4. In a calm run (the master never killed, paused, degraded or cut off
//      from a majority of sentinels; no SENTINEL FAILOVER) nobody is
//      elected, nothing is promoted and no +switch-master happens.
//
// Votes are learned from `+vote-for-leader <candidate> <epoch>` events,
// which the core emits when it casts a vote.

import SentinelCore

struct SimInvariants {
    let sentinelCount: Int
    let calm: Bool
    /// epoch → voter id → candidate id.
    private(set) var votes: [UInt64: [String: String]] = [:]
    /// epoch → ids elected in a non-forced failover.
    private(set) var elected: [UInt64: [String]] = [:]
    private(set) var violations: [String] = []
    private(set) var failoverCount = 0

    init(sentinelCount: Int, calm: Bool) {
        self.sentinelCount = sentinelCount
        self.calm = calm
    }

    private mutating func fail(_ message: String) { violations.append(message) }

    /// Rule 1: a vote never changes.
    mutating func voteCast(voter: String, payload: String, now: Int64) {
        let parts = payload.split(separator: " ")
        guard parts.count == 2, let epoch = UInt64(parts[1]) else {
            fail("t=\(now) unparsable +vote-for-leader payload '\(payload)' from \(voter.prefix(8))")
            return
        }
        let candidate = String(parts[0])
        if let previous = votes[epoch]?[voter], previous != candidate {
            fail("t=\(now) invariant 1: \(voter.prefix(8)) voted for \(previous.prefix(8)) and then for \(candidate.prefix(8)) in epoch \(epoch)")
        }
        votes[epoch, default: [:]][voter] = candidate
    }

    /// Rule 1: a reported vote was cast.
    mutating func voteReported(voter: String, reply: MasterStateReply, now: Int64) {
        guard reply.leader != "*" else { return }
        let cast = votes[reply.leaderEpoch]?[voter]
        if cast != reply.leader {
            fail("t=\(now) invariant 1: \(voter.prefix(8)) reported a vote for \(reply.leader.prefix(8)) in epoch \(reply.leaderEpoch) but cast \(cast.map { String($0.prefix(8)) } ?? "none")")
        }
    }

    /// Rule 1 across restarts: the restarted sentinel's persisted state
    /// covers every vote it was seen to cast (persisted before announced).
    mutating func restarted(_ id: String, leaderEpoch: UInt64, currentEpoch: UInt64, now: Int64) {
        let cast = votes.filter { $0.value[id] != nil }.keys.max() ?? 0
        if cast > leaderEpoch || cast > currentEpoch {
            fail("t=\(now) invariant 1: \(id.prefix(8)) restarted with leader-epoch \(leaderEpoch) current-epoch \(currentEpoch) after voting in epoch \(cast)")
        }
    }

    /// Rule 1: one leader per epoch.
    mutating func leaderElected(_ id: String, epoch: UInt64, forced: Bool, now: Int64) {
        if calm { fail("t=\(now) invariant 4: \(id.prefix(8)) elected in epoch \(epoch) in a calm run") }
        guard !forced else { return }
        var winners = elected[epoch, default: []]
        if !winners.contains(id) { winners.append(id) }
        elected[epoch] = winners
        if winners.count > 1 {
            fail("t=\(now) invariant 1: epoch \(epoch) elected \(winners.map { String($0.prefix(8)) })")
        }
    }

    /// Rule 2: promotion needs a majority of all sentinels.
    mutating func promotionSent(by id: String, failover: FailoverProgress?, target: InstanceAddress, now: Int64) {
        failoverCount += 1
        if calm { fail("t=\(now) invariant 4: \(id.prefix(8)) promoted \(target) in a calm run") }
        guard let failover else {
            fail("t=\(now) invariant 2: \(id.prefix(8)) sent SLAVEOF NO ONE to \(target) outside a failover")
            return
        }
        guard !failover.isForced else { return }
        let count = votes[failover.epoch]?.values.filter { $0 == id }.count ?? 0
        let needed = sentinelCount / 2 + 1
        if count < needed {
            fail("t=\(now) invariant 2: \(id.prefix(8)) promoted \(target) in epoch \(failover.epoch) with \(count) votes, majority is \(needed)")
        }
    }

    /// Rule 4.
    mutating func masterSwitched(by id: String, payload: String, now: Int64) {
        if calm { fail("t=\(now) invariant 4: \(id.prefix(8)) +switch-master \(payload) in a calm run") }
    }

    mutating func record(_ message: String) { fail(message) }
}
