// Writer.swift — a write load that behaves like a failover-aware client:
// it finds the master through the sentinels (GET-MASTER-ADDR-BY-NAME on each
// sentinel in turn, then ROLE on the node must say master), writes unique
// keys (`SET <prefix><n> <n>`) at a steady pace, and on any error or timeout
// drops the connection and finds the master again. The split-brain writer
// instead stays connected straight to one node.
//
// Invariants: one thread; `n` increases by one per attempt, so a key is
// written at most once and an unacknowledged attempt is never retried under
// the same key; an ack is recorded only for the reply "+OK", with the time
// it arrived; every other outcome is counted as a failure by reason.

import Foundation
import RESP
import Synchronization

/// One writer thread.
final class Writer: Sendable {
    /// Where the writer sends its writes.
    enum Target: Sendable {
        /// The master the sentinels name (the usual client).
        case viaSentinels([NodeAddress], masterName: String)
        /// Always this node (the split-brain writer).
        case direct(NodeAddress)
    }

    private let target: Target
    private let intervalNanoseconds: Int64
    private let replyTimeout: Int
    private let log: Mutex<WriterLog>
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(name: String, keyPrefix: String, target: Target, intervalMicroseconds: Int, replyTimeoutMilliseconds: Int = 300) {
        self.target = target
        self.intervalNanoseconds = Int64(intervalMicroseconds) * 1000
        self.replyTimeout = replyTimeoutMilliseconds
        self.log = Mutex(WriterLog(name: name, keyPrefix: keyPrefix))
    }

    /// Starts the thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.store(true, ordering: .releasing)
        }
        thread.name = "drill-writer"
        thread.start()
    }

    /// Acknowledged writes so far.
    var ackCount: Int { log.withLock { $0.acks.count } }

    /// Stops the thread and returns its log.
    func stop() -> WriterLog {
        stopping.store(true, ordering: .relaxed)
        _ = waitUntil(timeoutMilliseconds: 3000, interval: 5) { finished.load(ordering: .acquiring) }
        return log.withLock { $0 }
    }

    private func fail(_ reason: String) {
        log.withLock { $0.failures[reason, default: 0] += 1 }
    }

    private func run() {
        var client: DrillClient?
        var seq = 0
        var preferred = 0
        var next = MonotonicClock.now()
        let prefix = log.withLock { $0.keyPrefix }
        while !stopping.load(ordering: .relaxed) {
            if client == nil {
                client = connect(preferred: &preferred)
                guard let connected = client else {
                    MonotonicClock.sleep(milliseconds: 20)
                    continue
                }
                let now = MonotonicClock.now()
                log.withLock { log in
                    if log.switches.last?.node != connected.address { log.switches.append(WriterSwitch(time: now, node: connected.address)) }
                }
            }
            guard let connection = client else { continue }
            seq += 1
            do throws(DrillClientError) {
                let reply = try connection.call(["SET", "\(prefix)\(seq)", String(seq)], timeoutMilliseconds: replyTimeout)
                let now = MonotonicClock.now()
                switch reply {
                case .simple("OK"):
                    log.withLock { $0.acks.append(Ack(seq: seq, time: now, node: connection.address)) }
                case .error(let text):
                    fail(String(text.split(separator: " ").first ?? "error"))
                    client = nil
                default:
                    fail("unexpected reply")
                    client = nil
                }
            } catch {
                fail(reason(error))
                client = nil
            }
            next += intervalNanoseconds
            let now = MonotonicClock.now()
            if next > now { MonotonicClock.sleep(nanoseconds: next - now) } else { next = now }
        }
        log.withLock { $0.stoppedAt = MonotonicClock.now() }
    }

    /// A connection to where the next write should go, or nil (failure counted).
    private func connect(preferred: inout Int) -> DrillClient? {
        switch target {
        case .direct(let address):
            do throws(DrillClientError) {
                return try DrillClient.connect(address, timeoutMilliseconds: replyTimeout)
            } catch {
                fail(reason(error))
                return nil
            }
        case .viaSentinels(let sentinels, let name):
            for offset in 0..<sentinels.count {
                let index = (preferred + offset) % sentinels.count
                guard case .success(let reply) = Probe.call(sentinels[index], ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name], timeoutMilliseconds: replyTimeout),
                      let master = reply.address else { continue }
                preferred = index
                do throws(DrillClientError) {
                    let client = try DrillClient.connect(master, timeoutMilliseconds: replyTimeout)
                    let role = try client.call(["ROLE"], timeoutMilliseconds: replyTimeout)
                    if role.elements?.first?.text == "master" { return client }
                    fail("ROLE not master")
                } catch {
                    fail(reason(error))
                }
            }
            fail("no master via the sentinels")
            return nil
        }
    }
}

/// A failure reason for the writer's counts.
private func reason(_ error: DrillClientError) -> String {
    switch error {
    case .connect: return "connect failed"
    case .timeout: return "timed out"
    case .closed: return "connection closed"
    case .io: return "socket error"
    case .protocolError: return "protocol error"
    }
}
