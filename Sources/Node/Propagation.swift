// Propagation: how applied writes become the replication stream ("replicate
// bytes, count bytes"). After a write command succeeds and changed the data
// set, its argument vector — or the deterministic rewrite its handler chose
// (`CommandContext.propagateAs`, e.g. SPOP → SREM, BLPOP → LPOP, relative
// expiry → PEXPIREAT) — is encoded into the stream in its database; keys
// that expired on access or in the active cycle go out as DEL first, so a
// replica (which never expires keys itself) stays identical. Inside EXEC the
// propagated writes are wrapped in MULTI … EXEC.
//
// Nothing is encoded while no backlog exists (no replica has ever synced or
// the backlog expired): a standalone node pays nothing for this.
// A replica never propagates its own execution: it proxies its master's bytes.

import RESP
import Replication

/// Transaction wrapping state for the stream while EXEC runs.
struct TransactionPropagation {
    /// EXEC is running: the first propagated write must be preceded by MULTI.
    var inExec = false
    /// MULTI was written to the stream: EXEC must close it.
    var multiWritten = false
}

extension Server {
    /// True when writes must be encoded into the stream.
    var isFeedingReplicas: Bool { replicationStream.isBacklogActive && !replicaSide.isReplica }

    /// Appends one write (executed in `database`) to the stream and sends it to the replicas.
    func propagate(database: Int, _ args: [Bytes]) {
        guard isFeedingReplicas else { return }
        if transactionPropagation.inExec, !transactionPropagation.multiWritten {
            transactionPropagation.multiWritten = true
            if let bytes = replicationStream.propagate(db: database, args: PropagatedCommand.multi) { sendToReplicas(bytes) }
        }
        if let bytes = replicationStream.propagate(db: database, args: args) { sendToReplicas(bytes) }
    }

    /// After a call on a master: propagate what it did. `wrote` says whether any database changed.
    func propagateCall(_ client: Client, _ spec: CommandSpec, args: [Bytes], rewrite: [[Bytes]]?, failed: Bool) {
        guard isFeedingReplicas, client.kind != .master, !failed else { return }
        // Expired keys found during the call go out first, as DELs.
        var wrote = false
        for i in databases.indices where !databases[i].modifiedKeys.isEmpty {
            wrote = true
            break
        }
        absorbKeyspaceLogs()
        if let rewrite {
            for command in rewrite { propagate(database: client.databaseIndex, command) }
        } else if spec.flags.contains(.mayReplicate) || (spec.flags.contains(.write) && (wrote || spec.alwaysPropagates)) {
            propagate(database: client.databaseIndex, args)
        }
    }

    /// EXEC begins: the stream will get MULTI before the first write.
    func beginTransactionPropagation() {
        transactionPropagation = TransactionPropagation(inExec: true, multiWritten: false)
    }

    /// EXEC ends: close the stream's MULTI if one was written.
    func endTransactionPropagation(database: Int) {
        if transactionPropagation.multiWritten,
           let bytes = replicationStream.propagate(db: database, args: PropagatedCommand.exec) {
            sendToReplicas(bytes)
        }
        transactionPropagation = TransactionPropagation()
    }
}

extension CommandSpec {
    /// Writes Redis propagates even when they changed nothing (FLUSHALL of an empty server, SWAPDB …).
    var alwaysPropagates: Bool {
        switch name {
        case "flushall", "flushdb", "swapdb": true
        default: false
        }
    }
}
