// Link management: after every tick the daemon makes its links match the
// instances the core knows — masters and replicas get a command and a
// pub/sub link (authenticated with the master's auth-pass/auth-user),
// peer sentinels a command link (sentinel-user/sentinel-pass). Links to
// forgotten addresses are closed; idle links reconnect at most every
// `reconnectInterval` ms (Redis: once per second; Vigil: 250 ms, so a
// restarted node is seen quickly).
//
// The core learns about the command link only: `.linkUp` when it connects,
// `.linkDown` when it ends. Hellos arrive on pub/sub links as `.hello`.

import Glibc
import EventLoop
import SentinelCore

extension SentinelDaemon {
    static let reconnectInterval: Int64 = 250

    /// What should be linked: address → (is a data node, credentials).
    func desiredLinks() -> [InstanceAddress: (isDataNode: Bool, auth: LinkAuth?)] {
        var wanted: [InstanceAddress: (isDataNode: Bool, auth: LinkAuth?)] = [:]
        for master in core.masters {
            let auth = master.authPass.map { LinkAuth(user: master.authUser, password: $0) }
            wanted[master.address] = (true, auth)
            for replica in master.replicas { wanted[replica.address] = (true, auth) }
        }
        let sentinelAuth = core.sentinelPass.map { LinkAuth(user: core.sentinelUser, password: $0) }
        for master in core.masters {
            for peer in master.sentinels where wanted[peer.address] == nil {
                wanted[peer.address] = (false, sentinelAuth)
            }
        }
        return wanted
    }

    /// Opens, closes and reconnects links to match the core.
    func syncLinks() {
        let wanted = desiredLinks()
        for (address, links) in self.links {
            if let want = wanted[address], want.isDataNode == links.isDataNode, want.auth == links.command.auth { continue }
            links.close()
            self.links[address] = nil
        }
        let now = self.now
        for (address, want) in wanted {
            let links = self.links[address] ?? makeLinks(address, isDataNode: want.isDataNode, auth: want.auth)
            self.links[address] = links
            links.reconnectIfIdle(now: now, interval: Self.reconnectInterval)
            // A link the core does not know is up (the address changed role meanwhile).
            if links.command.isConnected, !coreBelievesConnected(address) { feed(.linkUp(address)) }
        }
    }

    func coreBelievesConnected(_ address: InstanceAddress) -> Bool {
        for master in core.masters {
            if master.address == address { return master.node.link.isConnected }
            if let r = master.replicas.first(where: { $0.address == address }) { return r.node.link.isConnected }
            if let s = master.sentinels.first(where: { $0.address == address }) { return s.link.isConnected }
        }
        return true
    }

    func makeLinks(_ address: InstanceAddress, isDataNode: Bool, auth: LinkAuth?) -> InstanceLinks {
        let id = String(core.myID.prefix(8))
        // resolve-hostnames: names are looked up when the link is made (Redis resolves at creation too).
        let host = Self.isIPAddress(address.host) ? address.host : (Socket.resolve(host: address.host) ?? address.host)
        let command = InstanceLink(loop: loop, host: host, port: address.port, kind: .command,
                                   clientName: "sentinel-\(id)-cmd", auth: auth,
                                   onStateChange: { [weak self] up, reason in
                                       self?.commandLinkChanged(address, up: up, reason: reason)
                                   })
        var pubsub: InstanceLink?
        if isDataNode {
            pubsub = InstanceLink(loop: loop, host: host, port: address.port, kind: .pubsub,
                                  clientName: "sentinel-\(id)-pubsub", auth: auth,
                                  onStateChange: { _, _ in },
                                  onMessage: { [weak self] channel, payload in
                                      guard channel == Array(InstanceLink.helloChannel.utf8) else { return }
                                      self?.feed(.hello(String(decoding: payload, as: UTF8.self)))
                                  })
        }
        return InstanceLinks(address: address, isDataNode: isDataNode, command: command, pubsub: pubsub)
    }

    func commandLinkChanged(_ address: InstanceAddress, up: Bool, reason: String?) {
        guard let links = links[address] else { return }
        if up {
            links.reportedUp = true
            feed(.linkUp(address))
        } else {
            if links.reportedUp {
                logger.debug("Link to \(address) closed: \(reason ?? "")")
            }
            links.reportedUp = false
            feed(.linkDown(address))
        }
    }
}
