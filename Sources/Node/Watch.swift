// Watch: optimistic locking for MULTI/EXEC. WATCH records (database, key) →
// clients; any write to such a key (or its expiry, or a FLUSH/SWAPDB of its
// database) invalidates those clients' next EXEC.

import RESP

/// Which clients watch which (database, key).
struct WatchRegistry {
    private var watchers: [WatchKey: [Int]] = [:]

    struct WatchKey: Hashable {
        let database: Int
        let key: Bytes
    }

    var isEmpty: Bool { watchers.isEmpty }

    mutating func add(client id: Int, database: Int, key: Bytes) {
        let k = WatchKey(database: database, key: key)
        if watchers[k]?.contains(id) == true { return }
        watchers[k, default: []].append(id)
    }

    mutating func remove(client id: Int, database: Int, key: Bytes) {
        let k = WatchKey(database: database, key: key)
        watchers[k]?.removeAll { $0 == id }
        if watchers[k]?.isEmpty == true { watchers[k] = nil }
    }

    func watchers(database: Int, key: Bytes) -> [Int] {
        watchers[WatchKey(database: database, key: key)] ?? []
    }

    /// Clients watching any key of `database`.
    func watchers(database: Int) -> [Int] {
        watchers.filter { $0.key.database == database }.flatMap { $0.value }
    }
}

extension Server {
    /// Invalidates the transactions of clients watching (database, key).
    func touchWatchers(database: Int, key: Bytes) {
        for id in watches.watchers(database: database, key: key) { clients[id]?.watchInvalidated = true }
    }

    /// Invalidates every client watching a key in `database` (FLUSHDB, FLUSHALL, SWAPDB).
    func touchAllWatchers(database: Int) {
        for id in watches.watchers(database: database) { clients[id]?.watchInvalidated = true }
    }

    /// WATCH key.
    func watch(_ client: Client, key: Bytes) {
        let db = client.databaseIndex
        if client.watchedKeys.contains(where: { $0.0 == db && $0.1 == key }) { return }
        client.watchedKeys.append((db, key))
        watches.add(client: client.id, database: db, key: key)
    }

    /// UNWATCH, and after EXEC/DISCARD.
    func unwatchAll(_ client: Client) {
        for (db, key) in client.watchedKeys { watches.remove(client: client.id, database: db, key: key) }
        client.watchedKeys.removeAll()
        client.watchInvalidated = false
    }
}
