// CommandTable: every command the node knows, found by name without
// allocating: each name is indexed in lower and upper case, so the usual
// spellings ("get", "GET") hit directly; mixed case falls back to lower-casing.

import RESP
import Keyspace

/// The registry of command specs.
public struct CommandTable {
    public private(set) var specs: [CommandSpec] = []
    private var index = HashTable<Int>()

    /// Adds commands; a later registration of the same name replaces the earlier one.
    mutating func register(_ list: [CommandSpec]) {
        for spec in list {
            let slot = index[Array(spec.name.utf8)] ?? specs.count
            if slot == specs.count { specs.append(spec) } else { specs[slot] = spec }
            index[Array(spec.name.lowercased().utf8)] = slot
            index[Array(spec.name.uppercased().utf8)] = slot
        }
    }

    /// rename-command: the command `name` answers only as `newName` from now
    /// on (an empty `newName` disables it). False when `name` is unknown.
    mutating func rename(_ name: String, to newName: String) -> Bool {
        guard let old = lookup(Array(name.utf8)) else { return false }
        var kept = specs.filter { $0.name != old.name }
        if !newName.isEmpty {
            kept.append(CommandSpec(newName.lowercased(), arity: old.arity, flags: old.flags,
                                    keys: (old.firstKey, old.lastKey, old.keyStep), categories: old.categories,
                                    handler: old.handler))
        }
        self = CommandTable()
        register(kept)
        return true
    }

    /// The spec for a command name as sent (any case).
    public func lookup(_ name: Bytes) -> CommandSpec? {
        if let slot = index[name] { return specs[slot] }
        let lowered = name.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        guard let slot = index[lowered] else { return nil }
        return specs[slot]
    }

    /// The table of a data node.
    static func standard() -> CommandTable {
        var table = CommandTable()
        table.register(connectionCommands())
        table.register(serverCommands())
        table.register(persistenceCommands())
        table.register(transactionCommands())
        table.register(pubsubCommands())
        table.register(keyCommands())
        table.register(stringCommands())
        table.register(listCommands())
        table.register(hashCommands())
        table.register(setCommands())
        table.register(sortedSetCommands())
        table.register(replicationMasterCommands())
        table.register(replicaofCommands())
        table.register(failoverCommands())  // FAILOVER (Replication/Failover.swift)
        return table
    }
}
