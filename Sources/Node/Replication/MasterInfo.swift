// MasterInfo: the master side's part of INFO replication — connected_slaves,
// min_slaves_good_slaves (only when min-replicas-to-write and
// min-replicas-max-lag are both set) and one
// `slaveN:ip=…,port=…,state=…,offset=…,lag=…` line per replica, in Redis
// 7.0's order and words. The role lines before and the stream lines after
// are the replica side's and the stream's (`replicationInfoLines`).

import Replication

extension Server {
    /// The connected_slaves … slaveN lines of INFO replication.
    func masterInfoLines() -> [String] {
        let settings = masterSide.minReplicasConfig ?? loadMinReplicasConfig()
        return masterSide.registry.infoLines(nowMs: now, minReplicasToWrite: settings.toWrite,
                                             minReplicasMaxLag: Int64(settings.maxLag))
    }
}
