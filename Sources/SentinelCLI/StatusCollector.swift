// StatusCollector.swift — asks a sentinel everything `sentinel status` shows
// and assembles a `StatusReport`.
//
// Commands, in order: SENTINEL MYID, INFO sentinel, SENTINEL MASTERS (or
// SENTINEL MASTER name); then per master SENTINEL REPLICAS, SENTINELS,
// CKQUORUM, INFO-CACHE and Vigil's SENTINEL EVENTS name 50.
//
// Rules:
//   1. An error reply to MASTERS fails the report (exit 1); to MASTER name it
//      means the master is unknown (exit 3).
//   2. Errors to the per-master questions degrade the report instead of
//      failing it: empty lists, unknown offsets; an error to EVENTS (a real
//      redis-sentinel lacks it) hides the timeline.
//   3. A NOAUTH error anywhere fails the report: nothing else will work.

import RESP

/// How many events `status` asks for.
let statusEventCount = 50

/// Builds status reports from a sentinel's replies.
struct StatusCollector {
    /// Where the questions go.
    let sentinel: SentinelCalling
    /// "host:port", for the header.
    let address: String

    /// Collects the report for every master, or only `master`.
    func collect(master: String?) throws(SentinelCLIFailure) -> StatusReport {
        let mastersReply = try ask(master.map { ["SENTINEL", "MASTER", $0] } ?? ["SENTINEL", "MASTERS"])
        if case .error(let text) = mastersReply {
            throw master == nil ? .errorReply(text) : .fromErrorReply(text)
        }
        let masterFields: [InstanceFields]
        if master == nil {
            guard let list = decodeInstanceList(mastersReply) else { throw .unexpectedReply(command: "SENTINEL MASTERS") }
            masterFields = list
        } else {
            guard let one = InstanceFields(reply: mastersReply) else { throw .unexpectedReply(command: "SENTINEL MASTER") }
            masterFields = [one]
        }

        let myid = try ask(["SENTINEL", "MYID"]).string
        let tilt = try ask(["INFO", "sentinel"]).string
            .flatMap { infoField("sentinel_tilt", in: $0) }
            .map { $0 != "0" }
        var masters: [MasterStatus] = []
        for fields in masterFields {
            masters.append(try collectMaster(fields))
        }
        masters.sort { $0.name < $1.name }
        return StatusReport(sentinel: SentinelIdentity(address: address, myid: myid, tilt: tilt), masters: masters)
    }

    /// Rule 2 for one master.
    private func collectMaster(_ fields: InstanceFields) throws(SentinelCLIFailure) -> MasterStatus {
        let name = fields["name"] ?? ""
        let offset = masterReplOffset(infoCache: try ask(["SENTINEL", "INFO-CACHE", name]), master: name)
        let replicas = (decodeInstanceList(try ask(["SENTINEL", "REPLICAS", name])) ?? [])
            .map { ReplicaStatus(fields: $0, lagBytes: replicationLag(masterOffset: offset, replicaOffset: $0.integer("slave-repl-offset"))) }
            .sorted { $0.fields.address < $1.fields.address }
        let sentinels = (decodeInstanceList(try ask(["SENTINEL", "SENTINELS", name])) ?? [])
            .sorted { $0.address < $1.address }
        let verdict: QuorumVerdict
        switch try ask(["SENTINEL", "CKQUORUM", name]) {
        case .error(let text): verdict = QuorumVerdict(ok: false, message: text)
        case let reply: 
            let text = reply.string ?? ""
            verdict = QuorumVerdict(ok: text.hasPrefix("OK"), message: text)
        }
        let events = decodeEvents(try ask(["SENTINEL", "EVENTS", name, String(statusEventCount)]))
        return MasterStatus(fields: fields, quorumVerdict: verdict, masterReplOffset: offset,
                            replicas: replicas, sentinels: sentinels, events: events)
    }

    /// Sends a command; rule 3.
    private func ask(_ arguments: [String]) throws(SentinelCLIFailure) -> RESPValue {
        let reply = try sentinel.call(arguments)
        if case .error(let text) = reply, text.hasPrefix("NOAUTH") { throw .errorReply(text) }
        return reply
    }
}
