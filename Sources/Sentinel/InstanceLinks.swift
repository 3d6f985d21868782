// InstanceLinks: the links the sentinel keeps to one address — a command
// link always, and for data nodes a pub/sub link subscribed to the hello
// channel — plus when the last attempt started (reconnect pacing).

import EventLoop
import SentinelCore

/// The links to one instance address.
final class InstanceLinks {
    let address: InstanceAddress
    let isDataNode: Bool
    let command: InstanceLink
    let pubsub: InstanceLink?
    /// Monotonic ms of the last connect attempt.
    var lastAttempt: Int64 = Int64.min / 2
    /// The core was told the command link is up.
    var reportedUp = false

    init(address: InstanceAddress, isDataNode: Bool, command: InstanceLink, pubsub: InstanceLink?) {
        self.address = address
        self.isDataNode = isDataNode
        self.command = command
        self.pubsub = pubsub
    }

    /// Connects idle links, at most once per `interval` ms.
    func reconnectIfIdle(now: Int64, interval: Int64) {
        guard now - lastAttempt >= interval else { return }
        var started = false
        if command.isIdle { command.connect(); started = true }
        if let pubsub, pubsub.isIdle { pubsub.connect(); started = true }
        if started { lastAttempt = now }
    }

    func reset(reason: String) {
        command.close(reason: reason)
        pubsub?.close(reason: reason)
    }

    func close() {
        command.close(reason: "instance forgotten")
        pubsub?.close(reason: "instance forgotten")
    }
}
