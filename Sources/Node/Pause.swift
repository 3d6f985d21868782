// Pause: CLIENT PAUSE / UNPAUSE. While a pause is active, commands from
// normal clients that it covers are held back (not refused): the client's
// input stays buffered and is processed in order once the pause ends.
// WRITE pauses writes and commands that may replicate (PUBLISH); ALL pauses
// everything except CLIENT itself (so a pause can always be lifted).

import RESP
import EventLoop

/// An active CLIENT PAUSE.
struct PauseState {
    enum Mode { case write, all }
    var mode: Mode
    /// Monotonic ms when it ends.
    var until: Int64
    var timer: EventLoop.TimerID?
}

extension Server {
    /// True when `spec` from `client` must wait for the current pause to end.
    func mustPause(_ client: Client, _ spec: CommandSpec) -> Bool {
        guard let pause, client.kind != .replica, client.kind != .master else { return false }
        if spec.name == "client" { return false }
        switch pause.mode {
        case .all: return true
        case .write:
            if client.transaction != nil, !spec.flags.contains(.noQueue) { return false }
            if spec.name == "exec" {
                return client.transaction?.queued.contains { commands.lookup($0[0])?.flags.contains(.write) == true } == true
            }
            return spec.flags.contains(.write) || spec.flags.contains(.mayReplicate)
        }
    }

    /// CLIENT PAUSE timeout [WRITE|ALL]. A longer or stricter pause replaces a shorter one, as Redis.
    func pauseClients(milliseconds: Int64, mode: PauseState.Mode) {
        let until = loop.monotonicMilliseconds + milliseconds
        var state = PauseState(mode: mode, until: until, timer: nil)
        if let current = pause {
            if let timer = current.timer { loop.cancel(timer) }
            if current.mode == .all { state.mode = .all }
            state.until = max(current.until, until)
        }
        state.timer = loop.schedule(afterMilliseconds: state.until - loop.monotonicMilliseconds + 1) { [weak self] in
            self?.unpauseClients()
        }
        pause = state
    }

    /// CLIENT UNPAUSE, or the pause's timer: resume held-back clients in the order they were paused.
    func unpauseClients() {
        if let timer = pause?.timer { loop.cancel(timer) }
        pause = nil
        let held = pausedClients
        pausedClients.removeAll()
        for id in held {
            guard let client = clients[id] else { continue }
            client.pausedOn = false
            processInput(client)
            scheduleFlush(client)
        }
    }
}
