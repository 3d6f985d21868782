// ReplicaLinks: delivering stream bytes to the replicas connected to this node.
// A replica that is still waiting for its snapshot accumulates the bytes
// produced meanwhile (in the snapshot job's shared buffer while the snapshot
// is produced, in its own transfer while the payload is being sent); an
// online one gets them in its output buffer at once (subject to the replica
// class of client-output-buffer-limit).
//
// Invariant: every byte fed to the stream after a snapshot's offset reaches
// each replica of that snapshot exactly once, after its payload.

import RESP

extension Server {
    /// Sends stream bytes to every replica link.
    func sendToReplicas(_ bytes: Bytes) {
        if masterSide.job != nil {
            masterSide.job?.pending.append(contentsOf: bytes)
            enforceSnapshotBufferLimit()
        }
        if !masterSide.transfers.isEmpty { bufferDuringTransfers(bytes) }
        guard !masterSide.online.isEmpty else { return }
        var closedAny = false
        for client in masterSide.online {
            if client.isClosed { closedAny = true; continue }
            client.reply.raw(bytes)
            scheduleFlush(client)
            enforceOutputLimits(client)
        }
        if closedAny { masterSide.online.removeAll { $0.isClosed } }
    }

    /// Replicas receiving their payload accumulate the stream meanwhile (with the same limit).
    private func bufferDuringTransfers(_ bytes: Bytes) {
        let hard = hot.replicaLimit.hard
        for id in Array(masterSide.transfers.keys) {
            masterSide.transfers[id]?.pending.append(contentsOf: bytes)
            if hard > 0, let transfer = masterSide.transfers[id], transfer.pending.count > hard, let client = clients[id] {
                logger.warning("Client id=\(client.id) addr=\(client.address) scheduled to be closed ASAP for overcoming of output buffer limits.")
                close(client)
            }
        }
    }

    /// Replicas waiting for a snapshot accumulate the stream like an output
    /// buffer: past the replica hard limit they are disconnected, as Redis does.
    private func enforceSnapshotBufferLimit() {
        guard let job = masterSide.job else { return }
        let hard = hot.replicaLimit.hard
        guard hard > 0, job.pending.count > hard else { return }
        for id in job.replicas {
            guard let client = clients[id] else { continue }
            logger.warning("Client id=\(client.id) addr=\(client.address) scheduled to be closed ASAP for overcoming of output buffer limits.")
            close(client)
        }
        masterSide.job?.pending = []
    }
}
