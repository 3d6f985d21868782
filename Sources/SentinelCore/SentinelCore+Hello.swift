// Hello messages (Redis's sentinelProcessHelloMessage). A hello names its
// sender and the master configuration it believes in:
//
//   1. Our own hellos (our id) are ignored.
//   2. A hello for a master we do not monitor is ignored.
//   3. An unknown sender is added (`+sentinel`). If a peer with the same id
//      was known at another address, it moved (`+sentinel-address-switch`);
//      a peer at the same address with another id restarted with a new id and
//      is replaced (`-dup-sentinel`). The config is persisted.
//   4. A higher current epoch is adopted (`+new-epoch`).
//   5. A higher config epoch for the master wins: if it names another
//      address, we switch (`+config-update-from`, `+switch-master`).
//      Vigil: an equal config epoch (above 0) naming another address wins
//      too when that address is smaller (host, then port). Two promotions
//      share an epoch only when one was not elected — SENTINEL FAILOVER on
//      two sentinels at once, or during an election — and Redis then keeps
//      both masters forever, each side ignoring the other's hellos; the
//      tie-break lets every sentinel converge on one of them.

extension SentinelCore {
    mutating func helloReceived(_ payload: String, now: Int64) {
        guard let hello = HelloMessage(payload: payload) else {
            emit(SentinelEvent(.debug, "-invalid-hello", masterName: nil, payload: String(payload.prefix(200))))
            return
        }
        guard hello.runID != myID else { return }
        guard let m = masterIndex(named: hello.masterName) else { return }
        // An address we could neither connect to nor save (and load again) is refused.
        guard SentinelFileConfig.isValidInstanceHost(hello.announceIP, resolveHostnames: resolveHostnames),
              SentinelFileConfig.isValidInstanceHost(hello.masterIP, resolveHostnames: resolveHostnames) else {
            emit(SentinelEvent(.debug, "-invalid-hello", masterName: hello.masterName, payload: String(payload.prefix(200))))
            return
        }
        let address = InstanceAddress(host: hello.announceIP, port: hello.announcePort)
        var s = masters[m].sentinels.firstIndex { $0.address == address && $0.runID == hello.runID }
        if s == nil {
            var moved = false
            if let old = masters[m].sentinelIndex(runID: hello.runID) {
                masters[m].sentinels.remove(at: old)
                moved = true
            }
            while let clash = masters[m].sentinels.firstIndex(where: { $0.address == address }) {
                emit(SentinelEvent(.notice, "-dup-sentinel", about: masters[m].describe(sentinel: masters[m].sentinels[clash]),
                                   detail: "#duplicate of \(hello.runID)"))
                masters[m].sentinels.remove(at: clash)
            }
            let peer = PeerSentinel(address: address, runID: hello.runID, now: now)
            masters[m].sentinels.append(peer)
            s = masters[m].sentinels.count - 1
            if moved {
                emit(SentinelEvent(.notice, "+sentinel-address-switch", about: masters[m].describe(sentinel: peer),
                                   detail: "ip \(address.host) port \(address.port) for \(hello.runID)"))
            } else {
                emit(SentinelEvent(.notice, "+sentinel", about: masters[m].describe(sentinel: peer)))
            }
            persist()
        }
        if hello.currentEpoch > currentEpoch {
            currentEpoch = hello.currentEpoch
            persist()
            emit(SentinelEvent(.warning, "+new-epoch", masterName: nil, payload: "\(currentEpoch)"))
        }
        if let s {
            masters[m].sentinels[s].lastHelloReceived = now
            let announced = InstanceAddress(host: hello.masterIP, port: hello.masterPort)
            let winsTie = hello.masterConfigEpoch > 0 && masters[m].configEpoch == hello.masterConfigEpoch
                && announced < masters[m].address
            if masters[m].configEpoch < hello.masterConfigEpoch || winsTie {
                masters[m].configEpoch = hello.masterConfigEpoch
                if announced != masters[m].address {
                    emit(SentinelEvent(.warning, "+config-update-from", about: masters[m].describe(sentinel: masters[m].sentinels[s])))
                    switchMaster(m, to: announced, now: now)
                }
                persist()
            }
        }
    }
}
