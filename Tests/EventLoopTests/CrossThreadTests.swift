// CrossThreadTests.swift: Handle.execute, Handle.stop and mailboxes from
// other threads: bodies run on the loop thread, in order, and wake a
// sleeping loop promptly.

import Foundation
import Glibc
import Synchronization
import Testing
@testable import EventLoop

/// Records what cross-thread bodies observed.
final class Observations: Sendable {
    let ranOnLoopThread = Mutex<[Bool]>([])
}

@Suite struct CrossThreadTests {
    @Test func executeFromAnotherThreadWakesTheSleepingLoopAndRunsOnItsThread() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let handle = loop.handle
        let loopThread = pthread_self()
        let observations = Observations()
        let start = loop.monotonicMilliseconds
        // No timer is due for seconds: only the eventfd can end the sleep early.
        loop.schedule(afterMilliseconds: 0) {
            Thread {
                handle.execute {
                    observations.ranOnLoopThread.withLock { $0.append(pthread_equal(pthread_self(), loopThread) != 0) }
                }
                handle.stop()
            }.start()
        }
        runLoop(loop)
        let elapsed = loop.monotonicMilliseconds - start
        #expect(observations.ranOnLoopThread.withLock { $0 } == [true])
        #expect(elapsed < EventLoop.maximumSleepMilliseconds)
    }

    @Test func jobsFromManyThreadsAllRunInPerThreadOrder() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let threads = 4
        let perThread = 500
        var received: [[Int]] = Array(repeating: [], count: threads)
        var total = 0
        let mailbox = loop.makeMailbox(of: (thread: Int, value: Int).self) { [unowned loop] message in
            received[message.thread].append(message.value)
            total += 1
            if total == threads * perThread { loop.stop() }
        }
        loop.schedule(afterMilliseconds: 0) {
            for thread in 0..<threads {
                Thread {
                    for value in 0..<perThread { mailbox.post((thread, value)) }
                }.start()
            }
        }
        runLoop(loop)
        #expect(total == threads * perThread)
        for thread in 0..<threads {
            #expect(received[thread] == Array(0..<perThread))
        }
    }

    @Test func executeOnLoopHandsTheLoopToTheBody() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired = false
        loop.handle.executeOnLoop { loop in
            loop.schedule(afterMilliseconds: 1) { loop.stop() }
        }
        loop.schedule(afterMilliseconds: 0) { fired = true }
        runLoop(loop)
        #expect(fired)
    }

    @Test func jobsForAClosedLoopAreDropped() throws {
        let loop = try EventLoop()
        let handle = loop.handle
        loop.close()
        let observations = Observations()
        handle.execute { observations.ranOnLoopThread.withLock { $0.append(true) } }
        #expect(observations.ranOnLoopThread.withLock { $0 }.isEmpty)
    }
}
