// EventLoopMailbox.swift: typed cross-thread messages for loop-owned state.
//
// `Handle.execute` takes a @Sendable closure, which cannot capture the
// (non-Sendable) objects the loop owns. A mailbox splits the two halves: the
// receiver closure stays on the loop (and may capture anything there), while
// the Sendable `Mailbox` value travels to other threads and posts Sendable
// messages. Example: a snapshot thread posts `.saved(bytes)` to the server.
//
// Invariant: receivers are only called on the loop thread, in post order
// (the same queue as `execute`); posts after `close()` are dropped.

extension EventLoop {
    /// The sending half of a mailbox; Sendable, usable from any thread.
    public struct Mailbox<Message: Sendable>: Sendable {
        let id: UInt64
        let queue: CrossThreadQueue

        /// Delivers `message` to the receiver on the loop thread.
        public func post(_ message: Message) {
            let id = self.id
            queue.enqueue { loop in loop.deliver(message, to: id) }
        }
    }

    /// Creates a mailbox whose messages are handed to `receive` on this loop's thread.
    public func makeMailbox<Message: Sendable>(
        of type: Message.Type = Message.self,
        _ receive: @escaping (Message) -> Void
    ) -> Mailbox<Message> {
        let id = nextMailboxID
        nextMailboxID += 1
        mailboxes[id] = Receiver(receive)
        return Mailbox(id: id, queue: crossThread)
    }

    /// Stops delivery for a mailbox; later posts to it are dropped.
    public func removeMailbox<Message: Sendable>(_ mailbox: Mailbox<Message>) {
        mailboxes[mailbox.id] = nil
    }

    final class Receiver<Message> {
        let receive: (Message) -> Void
        init(_ receive: @escaping (Message) -> Void) { self.receive = receive }
    }

    func deliver<Message>(_ message: Message, to id: UInt64) {
        guard let receiver = mailboxes[id] as? Receiver<Message> else { return }
        receiver.receive(message)
    }
}
