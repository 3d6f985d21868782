// The persisted configuration: what `sentinel …` lines the shell writes
// back to the file (Redis's sentinelFlushConfig), so a restarted sentinel
// resumes with the same id, epochs, votes, masters, replicas and peers.

extension SentinelCore {
    /// The state to persist, as a file configuration.
    public func fileConfig() -> SentinelFileConfig {
        var config = SentinelFileConfig(myID: myID, currentEpoch: currentEpoch, announceIP: announceIP,
                                        announcePort: nil, resolveHostnames: resolveHostnames,
                                        announceHostnames: announceHostnames, denyScriptsReconfig: denyScriptsReconfig,
                                        sentinelUser: sentinelUser, sentinelPass: sentinelPass)
        config.announcePort = configuredAnnouncePort
        for master in masters {
            var m = MasterFileConfig(name: master.name, host: master.address.host, port: master.address.port,
                                     quorum: master.quorum, downAfterMilliseconds: master.downAfter,
                                     failoverTimeout: master.failoverTimeout, parallelSyncs: master.parallelSyncs,
                                     authPass: master.authPass, authUser: master.authUser,
                                     configEpoch: master.configEpoch, leaderEpoch: master.leaderEpoch,
                                     masterRebootDownAfterPeriod: master.rebootDownAfter)
            m.renamedCommands = master.renamedCommands
            m.knownReplicas = master.replicas.map { .init(host: $0.address.host, port: $0.address.port) }
            m.knownSentinels = master.sentinels.map { .init(host: $0.address.host, port: $0.address.port, runID: $0.runID) }
            config.masters.append(m)
        }
        return config
    }
}
