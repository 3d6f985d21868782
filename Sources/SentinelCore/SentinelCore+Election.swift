// Votes and leaders (Redis's sentinelVoteLeader / sentinelGetLeader).
//
// Voting: a sentinel votes at most once per epoch, for the first candidate
// that asks with an epoch above its last vote, and only once its own current
// epoch is not ahead of the request. The vote is persisted before the reply
// leaves (the `persistConfig` action precedes the reply), so a restart cannot
// vote twice in one epoch.
// Vigil: a peer's request is granted only while this sentinel itself sees
// the master subjectively down (and is not in TILT); otherwise the reply
// carries the vote it already has, and no new one. Redis votes for whoever
// asks first, so a minority that lost sight of a healthy master (quorum
// below a majority, a paused or partitioned sentinel) can win the votes of
// a majority that still reaches it and fail it over (DESIGN §3 invariant 4).
//
// Counting: every peer's reported vote in the failover's epoch counts for
// its candidate; we add our own vote (for the leading candidate, or
// ourselves if there is none). The winner needs max(majority of all known
// sentinels, quorum) votes; otherwise there is no leader yet.
// Vigil: Redis counts the votes of its *current* epoch, which moves on when
// a newer epoch is heard of during the election; votes cast for us in that
// newer epoch then elected us in the failover's older one, where another
// sentinel may already have won (two leaders, two promotions with the same
// config epoch). Only votes of the failover's own epoch count, and the
// candidate asks for votes in that epoch (+Periodic).

extension SentinelCore {
    /// Casts (or repeats) this sentinel's vote for `master` in `requestEpoch`; returns the vote and its epoch.
    mutating func voteLeader(master m: Int, requestEpoch: UInt64, candidate: String, now: Int64) -> (String?, UInt64) {
        if requestEpoch > currentEpoch {
            currentEpoch = requestEpoch
            persist()
            emit(SentinelEvent(.warning, "+new-epoch", masterName: nil, payload: "\(currentEpoch)"))
        }
        if masters[m].leaderEpoch < requestEpoch, currentEpoch <= requestEpoch {
            masters[m].leader = candidate
            masters[m].leaderEpoch = currentEpoch
            persist()
            emit(SentinelEvent(.warning, "+vote-for-leader", masterName: masters[m].name,
                               payload: "\(candidate) \(masters[m].leaderEpoch)"))
            // Voting for someone else: give them time before trying ourselves.
            if candidate != myID {
                masters[m].failoverStartTime = now + random.value(in: 0...timings.maxDesync)
                masters[m].nextAttemptNotBefore = masters[m].failoverStartTime + 2 * masters[m].failoverTimeout
            }
        }
        return (masters[m].leader, masters[m].leaderEpoch)
    }

    /// The votes counted for `master` in `epoch`, by candidate (stable order), our vote included.
    mutating func tally(master m: Int, epoch: UInt64, now: Int64) -> [(candidate: String, votes: Int)] {
        var counts: [(candidate: String, votes: Int)] = []
        func add(_ candidate: String) {
            if let i = counts.firstIndex(where: { $0.candidate == candidate }) { counts[i].votes += 1 }
            else { counts.append((candidate, 1)) }
        }
        for peer in masters[m].sentinels where peer.leaderEpoch == epoch {
            if let leader = peer.leader { add(leader) }
        }
        let leading = counts.max { $0.votes < $1.votes || ($0.votes == $1.votes && $0.candidate > $1.candidate) }
        let (myVote, myEpoch) = voteLeader(master: m, requestEpoch: epoch, candidate: leading?.candidate ?? myID, now: now)
        if let myVote, myEpoch == epoch { add(myVote) }
        return counts
    }

    /// Votes a leader needs: max(majority of every known sentinel including us, quorum).
    func votesNeeded(master m: Int) -> Int {
        let voters = masters[m].sentinels.count + 1
        return max(voters / 2 + 1, masters[m].quorum)
    }

    /// The elected leader for `master` in `epoch`, if any (Redis's sentinelGetLeader).
    mutating func electedLeader(master m: Int, epoch: UInt64, now: Int64) -> String? {
        let counts = tally(master: m, epoch: epoch, now: now)
        guard let best = counts.max(by: { $0.votes < $1.votes || ($0.votes == $1.votes && $0.candidate > $1.candidate) }),
              best.votes >= votesNeeded(master: m) else { return nil }
        return best.candidate
    }

    /// Vigil: true when no candidate can still win `epoch` — every reachable
    /// peer has voted in it and even the leading candidate plus every vote we
    /// have not heard cannot reach the votes needed (a split vote).
    func electionIsSplit(master m: Int, epoch: UInt64) -> Bool {
        var counts: [String: Int] = [:]
        var unknown = 0
        for peer in masters[m].sentinels {
            if peer.leaderEpoch == epoch, let leader = peer.leader { counts[leader, default: 0] += 1 }
            else if peer.link.isConnected && !peer.isSubjectivelyDown { unknown += 1 }
        }
        if masters[m].leaderEpoch == epoch, let mine = masters[m].leader { counts[mine, default: 0] += 1 } else { unknown += 1 }
        let best = counts.values.max() ?? 0
        return best + unknown < votesNeeded(master: m)
    }

    /// SENTINEL is-master-down-by-addr: whether we see the master down, and our vote when a candidate is named.
    public mutating func isMasterDownByAddr(host: String, port: Int, epoch: UInt64, candidate: String,
                                            now: Int64) -> (reply: MasterStateReply, actions: [SentinelAction]) {
        let address = InstanceAddress(host: host, port: port)
        guard let m = masters.firstIndex(where: { $0.address == address }) else {
            return (MasterStateReply(isDown: false, leader: "*", leaderEpoch: 0), drain())
        }
        let isDown = tiltSince == nil && masters[m].node.isSubjectivelyDown
        var leader = "*"
        var leaderEpoch: UInt64 = 0
        if candidate != "*" {
            // Only a sentinel that sees the master down itself grants a vote (see header).
            let (vote, voteEpoch) = isDown
                ? voteLeader(master: m, requestEpoch: epoch, candidate: candidate, now: now)
                : (masters[m].leader, masters[m].leaderEpoch)
            leader = vote ?? "*"
            leaderEpoch = voteEpoch
        }
        return (MasterStateReply(isDown: isDown, leader: leader, leaderEpoch: leaderEpoch), drain())
    }
}
