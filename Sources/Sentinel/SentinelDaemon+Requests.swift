// Requests to instances and how their replies become core inputs.
//
//   PING              +PONG → available; -LOADING / -MASTERDOWN → available
//                     (not PONG); -BUSY → busy; anything else → other.
//   INFO              the text (bulk or verbatim) → infoReply.
//   PUBLISH hello     the payload's IP is announce-ip or the link's local address.
//   is-master-down    exactly [integer, bulk, integer] → MasterStateReply,
//                     anything else → nil (ignored by the core).
//   SLAVEOF           MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal,
//                     CLIENT KILL TYPE pubsub, EXEC — then INFO, so the new
//                     role is seen at once. Renamed commands are honoured.
//   CLIENT PAUSE      CLIENT PAUSE ms WRITE, then INFO → writesPaused(offset).
//
// Replies that arrive after the link dropped are failures and change nothing:
// the core hears about the drop through `.linkDown`.

import EventLoop
import RESP
import SentinelCore

extension SentinelDaemon {
    func perform(_ request: InstanceRequest, on address: InstanceAddress) {
        guard let links = links[address], links.command.isConnected else { return }
        let link = links.command
        switch request {
        case .ping:
            link.send(command(["PING"], for: address)) { [weak self] reply in
                guard let value = reply.value else { return }
                self?.feed(.pingReply(address, Self.classifyPing(value)))
            }
        case .info:
            sendInfo(on: link, address: address)
        case .publishHello(let announceIP, let rest):
            let ip = announceIP ?? link.localIP ?? "127.0.0.1"
            link.send(command(["PUBLISH", InstanceLink.helloChannel, "\(ip),\(rest)"], for: address)) { _ in }
        case .askMasterState(let name, let masterAddress, let epoch, let candidate):
            let args = ["SENTINEL", "is-master-down-by-addr", masterAddress.host, String(masterAddress.port),
                        String(epoch), candidate ?? "*"]
            link.send(args.map { Array($0.utf8) }) { [weak self] reply in
                guard let value = reply.value else { return }
                self?.feed(.masterStateReply(from: address, masterName: name, Self.parseMasterState(value)))
            }
        case .replicaOf(let target):
            let slaveof: [String] = target.map { ["SLAVEOF", $0.host, String($0.port)] } ?? ["SLAVEOF", "NO", "ONE"]
            for args in [["MULTI"], slaveof, ["CONFIG", "REWRITE"], ["CLIENT", "KILL", "TYPE", "normal"],
                         ["CLIENT", "KILL", "TYPE", "pubsub"], ["EXEC"]] {
                link.send(command(args, for: address)) { _ in }
            }
            sendInfo(on: link, address: address)
        case .pauseWrites(let milliseconds):
            var paused = false
            link.send(command(["CLIENT", "PAUSE", String(milliseconds), "WRITE"], for: address)) { reply in
                if case .simple = reply.value { paused = true }
            }
            link.send(command(["INFO", "replication"], for: address)) { [weak self] reply in
                var offset: Int64?
                if paused, let text = reply.value?.text { offset = InfoReport.parse(text).masterReplicationOffset }
                self?.feed(.writesPaused(address, masterOffset: offset))
            }
        case .unpause:
            link.send(command(["CLIENT", "UNPAUSE"], for: address)) { _ in }
        }
    }

    func sendInfo(on link: InstanceLink, address: InstanceAddress) {
        link.send(command(["INFO"], for: address)) { [weak self] reply in
            guard let text = reply.value?.text else { return }
            self?.feed(.infoReply(address, text))
        }
    }

    /// The command's words as bytes, the name replaced per `rename-command` of the master owning `address`.
    func command(_ words: [String], for address: InstanceAddress) -> [[UInt8]] {
        var words = words
        if let master = core.masters.first(where: { $0.address == address || $0.replicas.contains { $0.address == address } }),
           let renamed = master.renamedCommands[words[0].lowercased()] {
            words[0] = renamed
        }
        return words.map { Array($0.utf8) }
    }

    static func classifyPing(_ value: RESPValue) -> PingReply {
        switch value {
        case .simple(let s) where s.uppercased().hasPrefix("PONG"): return .available(isPong: true)
        case .error(let e) where e.hasPrefix("LOADING") || e.hasPrefix("MASTERDOWN"): return .available(isPong: false)
        case .error(let e) where e.hasPrefix("BUSY"): return .busy
        default: return .other
        }
    }

    static func parseMasterState(_ value: RESPValue) -> MasterStateReply? {
        guard case .array(let items) = value, items.count == 3,
              case .integer(let down) = items[0], case .bulk(let leader) = items[1],
              case .integer(let epoch) = items[2], epoch >= 0, leader.count <= 64 else { return nil }
        return MasterStateReply(isDown: down == 1, leader: String(decoding: leader, as: UTF8.self), leaderEpoch: UInt64(epoch))
    }
}

extension RESPValue {
    /// The text of a bulk, simple or verbatim string.
    var text: String? {
        switch self {
        case .bulk(let b): String(decoding: b, as: UTF8.self)
        case .simple(let s): s
        case .verbatim(_, let b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }
}

extension InstanceLink {
    /// The local IP of the connected socket (what Redis announces without announce-ip).
    var localIP: String? {
        guard fd >= 0 else { return nil }
        return Socket.localAddress(fd: fd)?.ip
    }
}
