// SentinelFileConfig+Render: SentinelFileConfig → `sentinel …` lines, for
// CONFIG REWRITE-style persistence (ConfigStore.rewrite(sentinelLines:)).
//
// Order and omissions follow Redis 7.0's rewriteConfigSentinelOption:
//   myid; deny-scripts-reconfig, resolve-hostnames, announce-hostnames (only
//   when not the default — early, so they are in effect for what follows);
//   then per master: monitor, down-after-milliseconds, failover-timeout,
//   parallel-syncs, auth-pass, auth-user, master-reboot-down-after-period
//   (each only when not the default / set), config-epoch, leader-epoch,
//   known-replica…, known-sentinel…, rename-command… (sorted by command);
//   then current-epoch, announce-ip, announce-port, sentinel-user,
//   sentinel-pass (when set).
// Differences from Redis, both deliberate:
//   - words that need it are quoted (ConfigTokenizer.quotedIfNeeded), so
//     passwords with blanks or quotes survive; Redis writes them raw and
//     cannot read them back. announce-ip is always quoted, as Redis does.
//   - myid is omitted while nil (Redis always has one by then).
// Invariant: every line starts with "sentinel ", and for a parsed value
// `parse(tokenize(lines()))` gives the value back.

import Config

extension SentinelFileConfig {
    /// The configuration as `sentinel …` lines, in Redis's rewrite order
    /// (see file header).
    public func lines() -> [String] {
        var out: [String] = []
        if let myID { out.append("sentinel myid \(Self.word(myID))") }
        if !denyScriptsReconfig { out.append("sentinel deny-scripts-reconfig no") }
        if resolveHostnames { out.append("sentinel resolve-hostnames yes") }
        if announceHostnames { out.append("sentinel announce-hostnames yes") }
        for master in masters { master.appendLines(to: &out) }
        out.append("sentinel current-epoch \(currentEpoch)")
        if let announceIP, !announceIP.isEmpty {
            out.append("sentinel announce-ip \(ConfigTokenizer.quoted(announceIP))")
        }
        if let announcePort, announcePort != 0 { out.append("sentinel announce-port \(announcePort)") }
        if let sentinelUser, !sentinelUser.isEmpty { out.append("sentinel sentinel-user \(Self.word(sentinelUser))") }
        if let sentinelPass, !sentinelPass.isEmpty { out.append("sentinel sentinel-pass \(Self.word(sentinelPass))") }
        return out
    }

    /// A word as written in the file: bare when safe, else double-quoted.
    static func word(_ s: String) -> String { ConfigTokenizer.quotedIfNeeded(s) }
}

extension MasterFileConfig {
    /// Appends this master's lines, in Redis's order.
    func appendLines(to out: inout [String]) {
        let name = SentinelFileConfig.word(self.name)
        func add(_ directive: String, _ rest: String) { out.append("sentinel \(directive) \(name) \(rest)") }

        add("monitor", "\(SentinelFileConfig.word(host)) \(port) \(quorum)")
        if downAfterMilliseconds != Self.defaultDownAfterMilliseconds {
            add("down-after-milliseconds", "\(downAfterMilliseconds)")
        }
        if failoverTimeout != Self.defaultFailoverTimeout { add("failover-timeout", "\(failoverTimeout)") }
        if parallelSyncs != Self.defaultParallelSyncs { add("parallel-syncs", "\(parallelSyncs)") }
        if let authPass, !authPass.isEmpty { add("auth-pass", SentinelFileConfig.word(authPass)) }
        if let authUser, !authUser.isEmpty { add("auth-user", SentinelFileConfig.word(authUser)) }
        if masterRebootDownAfterPeriod != 0 {
            add("master-reboot-down-after-period", "\(masterRebootDownAfterPeriod)")
        }
        add("config-epoch", "\(configEpoch)")
        add("leader-epoch", "\(leaderEpoch)")
        for replica in knownReplicas {
            add("known-replica", "\(SentinelFileConfig.word(replica.host)) \(replica.port)")
        }
        for peer in knownSentinels {
            add("known-sentinel", "\(SentinelFileConfig.word(peer.host)) \(peer.port) \(SentinelFileConfig.word(peer.runID))")
        }
        for (original, renamed) in renamedCommands.sorted(by: { $0.key < $1.key }) {
            add("rename-command", "\(SentinelFileConfig.word(original)) \(SentinelFileConfig.word(renamed))")
        }
    }
}
