// EventLoop+Signals.swift: signals delivered as ordinary loop events through
// a signalfd.
//
// `onSignal` blocks the signal in the calling (loop) thread and adds it to
// the loop's signalfd, so the handler runs on the loop thread between other
// events, where it may touch any loop state (Redis instead sets a flag in an
// async handler and checks it in serverCron).
//
// Caveat: blocking is per thread. A process-directed signal (kill PID) goes to
// some thread that does not block it; threads started after `onSignal`
// inherit the block, those started before do not. So register signal
// handlers on the main thread before starting any other thread.
//
// Invariant: `signalsBlockedByLoop` lists exactly the signals this loop
// blocked that were unblocked before; `close()` drains the signalfd and
// unblocks them again.

import CVigilSys
import Glibc

extension EventLoop {
    /// Calls `handler` on the loop thread whenever `signo` arrives (e.g.
    /// SIGTERM, SIGINT, SIGHUP). Replaces an earlier handler for the same
    /// signal. Call on the loop thread before other threads are started.
    public func onSignal(_ signo: Int32, _ handler: @escaping () -> Void) throws(SystemError) {
        guard !isClosed else { throw SystemError(operation: "onSignal on a closed loop", errno: EBADF) }
        guard signo > 0, signo < 65, signo != SIGKILL, signo != SIGSTOP else {
            throw SystemError(operation: "onSignal \(signo)", errno: EINVAL)
        }
        if signalHandlers[signo] != nil {
            signalHandlers[signo] = handler
            return
        }
        let wasBlocked = vigil_thread_signal_is_blocked(signo) != 0
        if !wasBlocked {
            let result = vigil_thread_block_signal(signo, 1)
            guard result == 0 else { throw SystemError(operation: "pthread_sigmask block \(signo)", errno: result) }
        }
        var signals = signalHandlers.keys.map { Int32($0) }
        signals.append(signo)
        let fd = signals.withUnsafeBufferPointer { buffer in
            vigil_signalfd_update(signalFD, buffer.baseAddress, Int32(buffer.count))
        }
        guard fd >= 0 else {
            let error = SystemError.current("signalfd")
            if !wasBlocked { _ = vigil_thread_block_signal(signo, 0) }
            throw error
        }
        if signalFD < 0 {
            do {
                try register(fd: fd, interest: .readable) { [unowned self] _, _, _ in
                    self.dispatchSignals()
                }
            } catch {
                Glibc.close(fd)
                if !wasBlocked { _ = vigil_thread_block_signal(signo, 0) }
                throw error
            }
            signalFD = fd
        }
        if !wasBlocked { signalsBlockedByLoop.append(signo) }
        signalHandlers[signo] = handler
    }

    private func dispatchSignals() {
        while signalFD >= 0 {
            let signo = vigil_signalfd_next(signalFD)
            guard signo > 0 else { return }
            signalHandlers[Int32(signo)]?()
        }
    }

    func closeSignals() {
        if signalFD >= 0 {
            while vigil_signalfd_next(signalFD) > 0 {}  // consume pending ones before unblocking
            unregister(fd: signalFD)
            Glibc.close(signalFD)
            signalFD = -1
        }
        for signo in signalsBlockedByLoop {
            _ = vigil_thread_block_signal(signo, 0)
        }
        signalsBlockedByLoop.removeAll()
        signalHandlers.removeAll()
    }
}
