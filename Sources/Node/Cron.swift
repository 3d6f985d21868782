// Cron: the periodic housekeeping run `hz` times a second — active expiry
// (Redis's sampling cycle, bounded per tick), idle-client timeouts, and the
// `save` rules. A sentinel's server only times out idle clients.

import RESP
import EventLoop

extension Server {
    func cron() {
        guard mode == .node else {
            closeIdleClients()
            return
        }
        if activeExpireEnabled { activeExpireCycle() }
        closeIdleClients()
        checkSaveRules()
        replicationMasterCron()
    }

    /// Samples keys with a TTL in every database and deletes expired ones,
    /// repeating while a sample is more than 25 % expired, within a small budget per tick.
    func activeExpireCycle() {
        let now = self.now
        for i in databases.indices where databases[i].volatileCount > 0 {
            _ = databases[i].activeExpire(now: now, sampleSize: 20, maxRounds: 16, using: &rng)
        }
        absorbKeyspaceLogs()
    }

    /// Closes normal clients idle for more than `timeout` seconds (never blocked, subscribed, replica or master links).
    func closeIdleClients() {
        let timeout = config.int("timeout")
        guard timeout > 0 else { return }
        let now = self.now
        for (_, client) in clients where client.kind == .normal && client.blocked == nil
            && client.subscriptionCount == 0 && !client.isMonitor
            && now - client.lastInteraction > Int64(timeout) * 1000 {
            logger.verbose("Closing idle client")
            close(client)
        }
    }
}
