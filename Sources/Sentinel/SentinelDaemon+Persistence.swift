// Persistence: the core's state is written back into the sentinel's config
// file (Redis's sentinelFlushConfig): the file's `sentinel …` lines are
// replaced by `SentinelFileConfig.lines()`, everything else is kept, and the
// file is replaced atomically with fsync (ConfigStore.rewrite). A failure is
// logged and retried at the next persist; the sentinel keeps running.

import Config
import SentinelCore

extension SentinelDaemon {
    func persistNow() {
        do {
            try config.rewrite(sentinelLines: core.fileConfig().lines())
        } catch {
            logger.warning("WARNING: Sentinel was not able to save the new configuration on disk!!!: \(error.reason)")
        }
    }
}
