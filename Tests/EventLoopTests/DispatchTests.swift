// DispatchTests.swift: descriptor dispatch rules: handlers changing the
// registration table mid-batch, the generation guard, hangup reporting,
// empty interest, before-sleep hooks and stop semantics.

import Glibc
import Testing
@testable import EventLoop

@Suite struct DispatchTests {
    @Test func aHandlerThatUnregistersAnotherReadyFdMidBatchPreventsItsDispatch() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let a = makePipe()
        let b = makePipe()
        // Both readable before the first epoll_wait, so they arrive in one batch.
        writeAll(a.write, [1])
        writeAll(b.write, [1])
        var calls: [Int32] = []
        var open: Set<Int32> = [a.read, b.read]
        var replacement: (read: Int32, write: Int32)?
        var replacementCalls = 0
        let handler: (Int32) -> Void = { [unowned loop] fd in
            calls.append(fd)
            var byte: UInt8 = 0
            _ = withUnsafeMutableBytes(of: &byte) { Socket.read(fd: fd, into: $0) }
            let other = fd == a.read ? b.read : a.read
            loop.unregister(fd: other)
            Socket.close(fd: other)
            open.remove(other)
            // The lowest free fd is usually `other` again: the stale event for
            // it must not reach this new registration.
            let fresh = makePipe()
            replacement = fresh
            try? loop.register(fd: fresh.read, interest: .readable) { _, _, _ in replacementCalls += 1 }
        }
        try loop.register(fd: a.read, interest: .readable) { _, _, _ in handler(a.read) }
        try loop.register(fd: b.read, interest: .readable) { _, _, _ in handler(b.read) }
        // Hooks run before the next epoll_wait, i.e. after the whole batch.
        loop.addBeforeSleep { [unowned loop] in
            if !calls.isEmpty { loop.stop() }
        }
        runLoop(loop)
        #expect(calls.count == 1)
        #expect(replacementCalls == 0)
        for fd in open { loop.unregister(fd: fd); Socket.close(fd: fd) }
        if let replacement {
            loop.unregister(fd: replacement.read)
            Socket.close(fd: replacement.read)
            Socket.close(fd: replacement.write)
        }
        Socket.close(fd: a.write)
        Socket.close(fd: b.write)
        #expect(loop.registeredCount == 0)
    }

    @Test func aHandlerMayUnregisterAndCloseItsOwnFd() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let p = makePipe()
        writeAll(p.write, [7])
        var calls = 0
        try loop.register(fd: p.read, interest: .readable) { [unowned loop] readable, _, _ in
            calls += 1
            #expect(readable)
            loop.unregister(fd: p.read)
            Socket.close(fd: p.read)
            loop.schedule(afterMilliseconds: 5) { loop.stop() }
        }
        runLoop(loop)
        #expect(calls == 1)
        Socket.close(fd: p.write)
        #expect(loop.registeredCount == 0)
    }

    @Test func peerCloseIsReportedAsHangupAndReadSeesClosed() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let p = makePipe()
        Socket.close(fd: p.write)
        var result: Socket.ReadResult?
        var sawHangup = false
        try loop.register(fd: p.read, interest: .readable) { [unowned loop] _, _, hangup in
            sawHangup = hangup
            var byte: UInt8 = 0
            result = withUnsafeMutableBytes(of: &byte) { Socket.read(fd: p.read, into: $0) }
            loop.unregister(fd: p.read)
            loop.stop()
        }
        runLoop(loop)
        Socket.close(fd: p.read)
        #expect(sawHangup)
        #expect(result == .closed)
    }

    @Test func emptyInterestSilencesAHungUpFdUntilInterestReturns() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let p = makePipe()
        Socket.close(fd: p.write)  // the read end now reports EPOLLHUP forever
        var calls = 0
        try loop.register(fd: p.read, interest: []) { [unowned loop] _, _, hangup in
            calls += 1
            #expect(hangup)
            loop.unregister(fd: p.read)
            loop.stop()
        }
        var iterations = 0
        loop.addBeforeSleep { iterations += 1 }
        var iterationsWhileSilenced = 0
        loop.schedule(afterMilliseconds: 20) { [unowned loop] in
            iterationsWhileSilenced = iterations
            #expect(calls == 0)
            loop.setInterest(fd: p.read, .readable)
            #expect(loop.interest(fd: p.read) == .readable)
        }
        runLoop(loop)
        #expect(calls == 1)
        // A hung-up fd left in the epoll set would have spun the loop for 20 ms.
        #expect(iterationsWhileSilenced < 10)
        Socket.close(fd: p.read)
    }

    @Test func registerRejectsInvalidDescriptors() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        // Far above any descriptor this process opens (closing and reusing a
        // real number would race with tests running in parallel).
        for fd: Int32 in [-1, 1_000_000] {
            for interest: EventLoop.Interest in [[], .readable] {
                let error = #expect(throws: SystemError.self) {
                    try loop.register(fd: fd, interest: interest) { _, _, _ in }
                }
                #expect(error?.errno == EBADF)
            }
        }
        // Regular files cannot be polled.
        let devNull = open("/dev/null", O_RDONLY)
        defer { Socket.close(fd: devNull) }
        let error = #expect(throws: SystemError.self) {
            try loop.register(fd: devNull, interest: .readable) { _, _, _ in }
        }
        #expect(error?.errno == EPERM)
        #expect(loop.registeredCount == 0)
    }

    @Test func beforeSleepHooksRunEveryIterationInOrder() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var log: [String] = []
        loop.addBeforeSleep { log.append("a") }
        loop.addBeforeSleep { [unowned loop] in
            log.append("b")
            if log.count == 6 { loop.stop() }
        }
        loop.scheduleRepeating(everyMilliseconds: 1) {}
        runLoop(loop)
        #expect(log == ["a", "b", "a", "b", "a", "b"])
    }

    @Test func stopBeforeRunReturnsImmediatelyAndTheLoopCanRunAgain() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired = 0
        loop.schedule(afterMilliseconds: 0) { [unowned loop] in
            fired += 1
            loop.stop()
        }
        loop.stop()
        loop.run()
        #expect(fired == 0)
        runLoop(loop)
        #expect(fired == 1)
    }

    @Test func closeReleasesEverythingAndLaterCallsAreHarmless() throws {
        let loop = try EventLoop()
        let p = makePipe()
        try loop.register(fd: p.read, interest: .readable) { _, _, _ in }
        loop.schedule(afterMilliseconds: 1) {}
        loop.close()
        #expect(loop.pendingTimerCount == 0)
        #expect(throws: SystemError.self) {
            try loop.register(fd: p.write, interest: .writable) { _, _, _ in }
        }
        loop.setInterest(fd: p.read, .writable)
        loop.unregister(fd: p.read)
        loop.run()  // returns at once
        loop.close()
        Socket.close(fd: p.read)
        Socket.close(fd: p.write)
    }

    @Test func closingFromInsideTheLoopEndsRunCleanly() throws {
        let loop = try EventLoop()
        var hookRuns = 0
        loop.addBeforeSleep { [unowned loop] in
            hookRuns += 1
            loop.close()
        }
        runLoop(loop)
        #expect(hookRuns == 1)
    }
}
