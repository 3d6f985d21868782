// EventLoop+FileDescriptors.swift: level-triggered readiness for descriptors.
//
// Mapping: readable -> EPOLLIN | EPOLLRDHUP, writable -> EPOLLOUT. A
// registration with empty interest is taken out of the epoll set (as Redis
// does), so a hung-up socket the server is ignoring cannot busy-spin the loop
// with EPOLLHUP. EPOLLRDHUP is only asked for with readable interest, so a
// peer's half-close cannot spin a writer waiting for EPOLLOUT.
//
// The generation rule: each `register` gets a fresh 32-bit generation, stored
// with the fd in epoll_event.data (fd in the low 32 bits, generation in the
// high 32). An event is dispatched only if the fd's current registration has
// that generation. So a handler may unregister, close, or close-and-reuse any
// fd during a batch, and later events of the same batch for the old
// registration are dropped instead of reaching the wrong handler.
//
// Handlers are told (readable, writable, hangup): readable/writable are the
// ready directions still in the fd's interest at dispatch time; hangup is
// EPOLLRDHUP, EPOLLHUP or EPOLLERR. On hangup the handler should read (to get
// the remaining bytes, then 0 or the error) or check `Socket.connectResult`,
// and usually unregister and close.

import CVigilSys
import Glibc

extension EventLoop {
    /// Directions a handler wants to hear about.
    public struct Interest: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        /// Creates an interest set from raw bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Data (or a connection, or EOF) can be read.
        public static let readable = Interest(rawValue: 1 << 0)
        /// The send buffer has room (or a connect finished).
        public static let writable = Interest(rawValue: 1 << 1)

        var epollEvents: UInt32 {
            var events: UInt32 = 0
            if contains(.readable) { events |= VIGIL_EPOLLIN | VIGIL_EPOLLRDHUP }
            if contains(.writable) { events |= VIGIL_EPOLLOUT }
            return events
        }
    }

    /// Starts watching `fd` (level-triggered). Replaces any registration the
    /// loop still has for `fd` (e.g. one whose fd was closed without
    /// `unregister`). Throws if the descriptor is invalid or cannot be polled.
    public func register(
        fd: Int32,
        interest: Interest,
        _ handler: @escaping (_ readable: Bool, _ writable: Bool, _ hangup: Bool) -> Void
    ) throws(SystemError) {
        guard !isClosed else { throw SystemError(operation: "register fd \(fd) on a closed loop", errno: EBADF) }
        guard fd >= 0 else { throw SystemError(operation: "register fd \(fd)", errno: EBADF) }
        let generation = nextGeneration
        nextGeneration = nextGeneration == UInt32.max ? 1 : nextGeneration + 1
        if interest.isEmpty {
            // Not polled yet, but fail now rather than on the first setInterest.
            guard fcntl(fd, F_GETFD) != -1 else { throw SystemError.current("register fd \(fd)") }
            if let old = registration(for: fd), old.inEpoll {
                _ = epollControl(epollFD, EPOLL_CTL_DEL, fd: fd, events: 0, generation: 0)
            }
        } else {
            let events = interest.epollEvents
            if epollControl(epollFD, EPOLL_CTL_ADD, fd: fd, events: events, generation: generation) != 0 {
                // EEXIST: the kernel still polls this fd for an older registration.
                guard vigil_errno() == EEXIST,
                      epollControl(epollFD, EPOLL_CTL_MOD, fd: fd, events: events, generation: generation) == 0
                else { throw SystemError.current("epoll_ctl add fd \(fd)") }
            }
        }
        setRegistration(
            Registration(generation: generation, interest: interest, inEpoll: !interest.isEmpty, handler: handler),
            for: fd)
    }

    /// Changes what `fd`'s handler hears about. A no-op (no syscall) when the
    /// interest is unchanged or `fd` is not registered. Empty interest takes
    /// the fd out of the epoll set until interest is set again.
    public func setInterest(fd: Int32, _ interest: Interest) {
        guard fd >= 0, Int(fd) < registrations.count, var entry = registrations[Int(fd)],
              entry.interest != interest
        else { return }
        let events = interest.epollEvents
        let result: Int32
        switch (entry.inEpoll, interest.isEmpty) {
        case (true, true):
            result = epollControl(epollFD, EPOLL_CTL_DEL, fd: fd, events: 0, generation: 0)
        case (true, false):
            result = epollControl(epollFD, EPOLL_CTL_MOD, fd: fd, events: events, generation: entry.generation)
        case (false, false):
            result = epollControl(epollFD, EPOLL_CTL_ADD, fd: fd, events: events, generation: entry.generation)
        case (false, true):
            result = 0
        }
        // A failure means the caller closed fd without unregistering it; the
        // registration then simply never fires again.
        entry.interest = interest
        entry.inEpoll = result == 0 ? !interest.isEmpty : false
        registrations[Int(fd)] = entry
    }

    /// The interest currently registered for `fd`, nil if it is not registered.
    public func interest(fd: Int32) -> Interest? {
        registration(for: fd)?.interest
    }

    /// Stops watching `fd` and releases its handler. Does not close `fd`.
    /// Safe to call for unregistered fds and from inside any handler; pending
    /// events for `fd` in the current batch are dropped.
    public func unregister(fd: Int32) {
        guard let entry = registration(for: fd) else { return }
        if entry.inEpoll {
            // Fails harmlessly (EBADF/ENOENT) if fd was already closed.
            _ = epollControl(epollFD, EPOLL_CTL_DEL, fd: fd, events: 0, generation: 0)
        }
        registrations[Int(fd)] = nil
    }

    /// Number of descriptors registered by callers (the loop's own excluded).
    /// Scans the table: for tests and diagnostics, not the hot path.
    public var registeredCount: Int {
        registrations.reduce(0) { $0 + ($1 == nil ? 0 : 1) } - (isClosed ? 0 : internalRegistrationCount)
    }

    // MARK: - internals

    var internalRegistrationCount: Int { 1 + (signalFD >= 0 ? 1 : 0) }

    func registration(for fd: Int32) -> Registration? {
        guard fd >= 0, Int(fd) < registrations.count else { return nil }
        return registrations[Int(fd)]
    }

    func setRegistration(_ registration: Registration, for fd: Int32) {
        let index = Int(fd)
        if index >= registrations.count {
            let newCount = max(index + 1, registrations.count * 2, 64)
            registrations.append(contentsOf: repeatElement(nil, count: newCount - registrations.count))
        }
        registrations[index] = registration
    }

    /// Dispatches the first `count` entries of `events`, honouring the
    /// generation rule and stopping early if a handler calls `stop()`.
    func dispatch(_ count: Int) {
        for index in 0..<count {
            if stopRequested || isClosed { return }
            let event = events[index]
            let data = event.data.u64
            let fd = Int32(truncatingIfNeeded: data & 0xFFFF_FFFF)
            let generation = UInt32(truncatingIfNeeded: data >> 32)
            guard let entry = registration(for: fd), entry.generation == generation else { continue }
            let flags = event.events
            let readable = flags & VIGIL_EPOLLIN != 0 && entry.interest.contains(.readable)
            let writable = flags & VIGIL_EPOLLOUT != 0 && entry.interest.contains(.writable)
            let hangup = flags & (VIGIL_EPOLLRDHUP | VIGIL_EPOLLHUP | VIGIL_EPOLLERR) != 0
            guard readable || writable || hangup else { continue }
            entry.handler(readable, writable, hangup)
        }
        // A full batch suggests more are ready: let the next wait return more.
        if count == eventCapacity && eventCapacity < 16 * 1024 {
            events.deallocate()
            eventCapacity *= 2
            events = .allocate(capacity: eventCapacity)
        }
    }
}

/// epoll_ctl with our data encoding: fd in the low 32 bits, generation in the high 32.
func epollControl(_ epoll: Int32, _ operation: Int32, fd: Int32, events: UInt32, generation: UInt32) -> Int32 {
    var event = epoll_event()
    event.events = events
    event.data.u64 = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    return epoll_ctl(epoll, operation, fd, &event)
}
