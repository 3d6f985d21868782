// ServerMode: the two personalities of `Server`. A data node is the full
// server. A sentinel uses the same client machinery — listeners, RESP,
// AUTH/HELLO/CLIENT, pub/sub — with Redis 7.0's small generic command set;
// the Sentinel module registers SENTINEL, INFO, ROLE and PUBLISH on top.
//
// Invariants in sentinel mode: no dataset is loaded or saved (no `save`
// cron, no snapshot on shutdown, SHUTDOWN SAVE acts as NOSAVE), there is no
// replica side and no replication cron, log lines carry role 'X', and any
// command outside the table answers Redis's "ERR unknown command" text.

import Config

/// What a `Server` runs as.
public enum ServerMode: Sendable {
    /// `vigil-server`: the data node.
    case node
    /// `sentinel`: the client-facing shell of a sentinel.
    case sentinel

    /// The mode matching a configuration's mode.
    public init(_ configMode: ConfigMode) {
        switch configMode {
        case .server: self = .node
        case .sentinel: self = .sentinel
        }
    }
}

extension CommandTable {
    /// Names of the data node's commands a sentinel keeps (Redis 7.0's
    /// sentinel table minus what the Sentinel module supplies; Vigil has no ACL).
    static let sentinelGenericCommands: Set<String> = [
        "ping", "auth", "hello", "client", "command", "shutdown", "quit", "reset",
        "subscribe", "unsubscribe", "psubscribe", "punsubscribe",
    ]

    /// The table a sentinel starts with: the generic commands, as the data node defines them.
    static func sentinel() -> CommandTable {
        var table = CommandTable()
        table.register(standard().specs.filter { sentinelGenericCommands.contains($0.name) })
        return table
    }
}

extension Server {
    /// Adds commands to the table (a later spec with the same name replaces the
    /// earlier one). Register before `start()` or from the loop thread.
    public func registerCommands(_ specs: [CommandSpec]) {
        commands.register(specs)
    }

    /// The command table (COMMAND's view; lookups for tests and the Sentinel module).
    public var commandTable: CommandTable { commands }
}
