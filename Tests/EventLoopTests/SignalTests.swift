// SignalTests.swift: signals arrive through the signalfd as ordinary loop
// events. Uses SIGWINCH (default action: ignore) sent to this thread only,
// so a mistake cannot kill the test process or disturb other tests.

import Glibc
import Testing
@testable import EventLoop

@Suite struct SignalTests {
    @Test func aRegisteredSignalRunsItsHandlerOnTheLoop() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var received = 0
        try loop.onSignal(SIGWINCH) { [unowned loop] in
            received += 1
            loop.stop()
        }
        loop.schedule(afterMilliseconds: 0) {
            _ = pthread_kill(pthread_self(), SIGWINCH)
        }
        runLoop(loop)
        #expect(received == 1)
    }

    @Test func closeRestoresTheThreadsSignalMask() throws {
        // Worker threads may start with SIGWINCH blocked (libdispatch blocks
        // it); test both starting states and put the original one back.
        let original = signalIsBlocked(SIGWINCH)
        defer { setBlocked(SIGWINCH, original) }
        for startBlocked in [false, true] {
            setBlocked(SIGWINCH, startBlocked)
            let loop = try EventLoop()
            try loop.onSignal(SIGWINCH) {}
            #expect(signalIsBlocked(SIGWINCH))
            loop.close()
            #expect(signalIsBlocked(SIGWINCH) == startBlocked)
        }
    }

    @Test(arguments: [SIGKILL, SIGSTOP, 0, 99])
    func uncatchableOrInvalidSignalsAreRejected(signo: Int32) throws {
        let loop = try EventLoop()
        defer { loop.close() }
        #expect(throws: SystemError.self) { try loop.onSignal(signo) {} }
    }

    @Test func sigpipeIsIgnoredOnceALoopExists() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var action = sigaction()
        sigaction(SIGPIPE, nil, &action)
        #expect(unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
    }

    private func setBlocked(_ signo: Int32, _ blocked: Bool) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signo)
        pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nil)
    }

    private func signalIsBlocked(_ signo: Int32) -> Bool {
        var set = sigset_t()
        sigemptyset(&set)
        pthread_sigmask(SIG_BLOCK, nil, &set)
        return sigismember(&set, signo) == 1
    }
}
