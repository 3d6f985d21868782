// WaitQueue.swift — clients blocked in `WAIT numreplicas timeout`, released
// when enough replicas acknowledged their write offset or when their
// deadline passes (Redis's clients_waiting_acks / processClientsWaitingReplicas).
//
// Invariants: newest waiter first (Redis adds at the list head); a waiter is
// returned exactly once, by `release` or `expire`, then forgotten. The
// acknowledgement count comes from `ReplicaRegistry.replicasAcked(offset:)`.

/// Clients blocked in WAIT.
public struct WaitQueue: Sendable {
    /// One blocked WAIT.
    public struct Waiter: Equatable, Sendable {
        /// The blocked client.
        public var clientID: UInt64
        /// The replication offset of the client's last write.
        public var offset: Int64
        /// How many replicas must have acknowledged it.
        public var numReplicas: Int
        /// When to give up (unix ms), nil = wait forever (timeout 0).
        public var deadlineMs: Int64?
    }

    private var waiters: [Waiter] = []

    /// An empty queue.
    public init() {}

    /// Number of blocked clients.
    public var count: Int { waiters.count }

    /// Blocks a client (WAIT could not be answered at once).
    public mutating func add(clientID: UInt64, offset: Int64, numReplicas: Int, deadlineMs: Int64?) {
        waiters.insert(Waiter(clientID: clientID, offset: offset, numReplicas: numReplicas, deadlineMs: deadlineMs), at: 0)
    }

    /// Forgets a client (disconnected, killed).
    public mutating func remove(clientID: UInt64) {
        waiters.removeAll { $0.clientID == clientID }
    }

    /// After ACKs arrived: the clients to unblock now, with the count to reply.
    /// Like Redis, a waiter satisfied by the previous one's (offset, count)
    /// reuses that count instead of recounting.
    public mutating func release(acked: (Int64) -> Int) -> [(clientID: UInt64, replicas: Int)] {
        var out: [(clientID: UInt64, replicas: Int)] = []
        var kept: [Waiter] = []
        var lastOffset: Int64 = 0
        var lastCount = 0
        for w in waiters {
            if lastOffset != 0 && lastOffset >= w.offset && lastCount >= w.numReplicas {
                out.append((w.clientID, lastCount))
                continue
            }
            let n = acked(w.offset)
            if n >= w.numReplicas {
                lastOffset = w.offset
                lastCount = n
                out.append((w.clientID, n))
            } else {
                kept.append(w)
            }
        }
        waiters = kept
        return out
    }

    /// Waiters whose deadline passed, with the count to reply (how many
    /// replicas acknowledged so far).
    public mutating func expire(nowMs: Int64, acked: (Int64) -> Int) -> [(clientID: UInt64, replicas: Int)] {
        var out: [(clientID: UInt64, replicas: Int)] = []
        var kept: [Waiter] = []
        for w in waiters {
            if let d = w.deadlineMs, d <= nowMs {
                out.append((w.clientID, acked(w.offset)))
            } else {
                kept.append(w)
            }
        }
        waiters = kept
        return out
    }
}
