// SentinelEvent: one observable thing the sentinel did or saw (`+sdown`,
// `+switch-master` …), rendered exactly as Redis renders it. The one event
// stream: the shell logs it (`+sdown master mymaster 127.0.0.1 6379`),
// publishes it on the channel named after it (unless debug-level), keeps it
// for `SENTINEL EVENTS` / `sentinel status`, and tests read it.
//
// Payload shape (Redis's "%@"): an event about an instance starts with
// `<type> <name> <ip> <port>`, and for replicas and sentinels continues with
// ` @ <master-name> <master-ip> <master-port>`; then the event's own text.

/// Redis's log levels, in increasing importance.
public enum SentinelLogLevel: Int, Sendable, Comparable {
    case debug, verbose, notice, warning

    public static func < (a: SentinelLogLevel, b: SentinelLogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// What an event is about, for the "%@" prefix.
public struct InstanceDescription: Sendable, Equatable {
    public enum Kind: String, Sendable { case master, slave, sentinel }
    public var kind: Kind
    /// Master name, `ip:port` for a replica, run id for a sentinel.
    public var name: String
    public var address: InstanceAddress
    /// The master a replica or sentinel belongs to.
    public var master: (name: String, address: InstanceAddress)?

    public init(kind: Kind, name: String, address: InstanceAddress, master: (name: String, address: InstanceAddress)?) {
        self.kind = kind
        self.name = name
        self.address = address
        self.master = master
    }

    /// `master mymaster 127.0.0.1 6379` / `slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379`.
    public var rendered: String {
        var s = "\(kind.rawValue) \(name) \(address.host) \(address.port)"
        if let master { s += " @ \(master.name) \(master.address.host) \(master.address.port)" }
        return s
    }

    public static func == (a: InstanceDescription, b: InstanceDescription) -> Bool {
        a.kind == b.kind && a.name == b.name && a.address == b.address
            && a.master?.name == b.master?.name && a.master?.address == b.master?.address
    }
}

/// One sentinel event.
public struct SentinelEvent: Sendable, Equatable {
    public var level: SentinelLogLevel
    /// `+sdown`, `-odown`, `+switch-master` …; also the pub/sub channel.
    public var name: String
    /// The master this event concerns, if any (for `SENTINEL EVENTS name`).
    public var masterName: String?
    /// The message: the rendered instance (when about one) and the details.
    public var payload: String

    public init(_ level: SentinelLogLevel, _ name: String, masterName: String?, payload: String) {
        self.level = level
        self.name = name
        self.masterName = masterName
        self.payload = payload
    }

    /// An event about an instance: payload = "%@" followed by `detail` (if any).
    public init(_ level: SentinelLogLevel, _ name: String, about instance: InstanceDescription, detail: String = "") {
        self.level = level
        self.name = name
        self.masterName = instance.master?.name ?? (instance.kind == .master ? instance.name : nil)
        self.payload = detail.isEmpty ? instance.rendered : instance.rendered + " " + detail
    }

    /// The log line text after the prefix: `+sdown master mymaster 127.0.0.1 6379`.
    public var logText: String { "\(name) \(payload)" }

    /// Published to subscribers of the channel `name` (Redis skips debug-level events).
    public var isPublished: Bool { level != .debug }
}
