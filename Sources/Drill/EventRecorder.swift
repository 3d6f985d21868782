// EventRecorder.swift — one thread per sentinel subscribed with
// `PSUBSCRIBE *` (which real redis-sentinel supports too), recording every
// event with its arrival time. A sentinel that dies is re-subscribed when it
// comes back.
//
// Invariants: records are appended under a Mutex; `__sentinel__:hello`
// chatter is not an event and is dropped; reads wake every 200 ms to notice
// `stop()`; threads end within about that time after it.

import Foundation
import RESP
import Synchronization

/// Collects the sentinels' published events.
final class EventRecorder: Sendable {
    private let records = Mutex<[SentinelEventRecord]>([])
    private let subscribed = Mutex<Set<NodeAddress>>([])
    private let running = Mutex<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// Starts one subscriber thread per sentinel.
    func start(_ sentinels: [NodeAddress]) {
        for sentinel in sentinels {
            running.withLock { $0 += 1 }
            let thread = Thread { [self] in
                subscribe(to: sentinel)
                running.withLock { $0 -= 1 }
            }
            thread.name = "drill-events-\(sentinel.port)"
            thread.start()
        }
    }

    /// Waits until every sentinel in `sentinels` confirmed the subscription.
    func waitSubscribed(_ sentinels: [NodeAddress], timeoutMilliseconds: Int) -> Bool {
        waitUntil(timeoutMilliseconds: timeoutMilliseconds) {
            subscribed.withLock { set in sentinels.allSatisfy { set.contains($0) } }
        }
    }

    /// Every event so far.
    var events: [SentinelEventRecord] { records.withLock { $0 } }

    /// Stops the threads and returns every event.
    func stop() -> [SentinelEventRecord] {
        stopping.store(true, ordering: .relaxed)
        _ = waitUntil(timeoutMilliseconds: 2000, interval: 10) { running.withLock { $0 == 0 } }
        return events
    }

    private func subscribe(to sentinel: NodeAddress) {
        while !stopping.load(ordering: .relaxed) {
            guard let client = try? DrillClient.connect(sentinel, timeoutMilliseconds: 300),
                  (try? client.send(["PSUBSCRIBE", "*"], timeoutMilliseconds: 300)) != nil else {
                MonotonicClock.sleep(milliseconds: 200)
                continue
            }
            while !stopping.load(ordering: .relaxed) {
                let reply: RESPValue
                do throws(DrillClientError) {
                    reply = try client.read(timeoutMilliseconds: 200)
                } catch .timeout {
                    continue
                } catch {
                    break
                }
                let now = MonotonicClock.now()
                guard let items = reply.elements, let kind = items.first?.text else { continue }
                if kind == "psubscribe" {
                    subscribed.withLock { _ = $0.insert(sentinel) }
                } else if kind == "pmessage", items.count == 4, let channel = items[2].text, let message = items[3].text,
                          channel != "__sentinel__:hello" {
                    records.withLock { $0.append(SentinelEventRecord(time: now, sentinel: sentinel, channel: channel, message: message)) }
                }
            }
            subscribed.withLock { _ = $0.remove(sentinel) }
            MonotonicClock.sleep(milliseconds: 200)
        }
    }
}
