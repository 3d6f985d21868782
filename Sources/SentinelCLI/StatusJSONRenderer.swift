// StatusJSONRenderer.swift — the `sentinel status --json` document:
//
//   {"sentinel": {address, myid, tilt},
//    "masters": [{name, address, flags, state, failoverState, configEpoch,
//                 quorum, numOtherSentinels, masterReplOffset,
//                 ckquorum {ok, message},
//                 replicas [{address, flags, masterLinkStatus, replOffset,
//                            lagBytes, priority, lastOkPingReplyMs}],
//                 sentinels [{address, runid, flags, lastHelloMessageMs,
//                             votedLeader, votedLeaderEpoch}],
//                 events [{unixMs, event, payload}]}]}
//
// Invariants: numbers the sentinel sends as text become JSON integers (null
// when absent); `flags` is an array of words; `events` is every recorded
// event, oldest first ([] when the sentinel has no EVENTS subcommand).

import CLI

/// Builds the JSON document of a status report.
func statusJSON(_ report: StatusReport) -> JSONValue {
    .object([
        ("sentinel", .object([
            ("address", .string(report.sentinel.address)),
            ("myid", .optional(report.sentinel.myid)),
            ("tilt", report.sentinel.tilt.map(JSONValue.bool) ?? .null),
        ])),
        ("masters", .array(report.masters.map(masterJSON))),
    ])
}

/// One master's object.
func masterJSON(_ master: MasterStatus) -> JSONValue {
    let f = master.fields
    return .object([
        ("name", .string(master.name)),
        ("address", .string(f.address)),
        ("flags", .array(f.flags.map(JSONValue.string))),
        ("state", .string(master.state.rawValue)),
        ("failoverState", .optional(f["failover-state"])),
        ("configEpoch", .optional(f.integer("config-epoch"))),
        ("quorum", .optional(f.integer("quorum"))),
        ("numOtherSentinels", .optional(f.integer("num-other-sentinels"))),
        ("masterReplOffset", .optional(master.masterReplOffset)),
        ("ckquorum", .object([
            ("ok", .bool(master.quorumVerdict.ok)),
            ("message", .string(master.quorumVerdict.message)),
        ])),
        ("replicas", .array(master.replicas.map { replica in
            let r = replica.fields
            return .object([
                ("address", .string(r.address)),
                ("flags", .array(r.flags.map(JSONValue.string))),
                ("masterLinkStatus", .optional(r["master-link-status"])),
                ("replOffset", .optional(r.integer("slave-repl-offset"))),
                ("lagBytes", .optional(replica.lagBytes)),
                ("priority", .optional(r.integer("slave-priority"))),
                ("lastOkPingReplyMs", .optional(r.integer("last-ok-ping-reply"))),
            ])
        })),
        ("sentinels", .array(master.sentinels.map { s in
            .object([
                ("address", .string(s.address)),
                ("runid", .optional(s["runid"])),
                ("flags", .array(s.flags.map(JSONValue.string))),
                ("lastHelloMessageMs", .optional(s.integer("last-hello-message"))),
                ("votedLeader", .optional(s["voted-leader"])),
                ("votedLeaderEpoch", .optional(s.integer("voted-leader-epoch"))),
            ])
        })),
        ("events", .array((master.events ?? []).map { event in
            .object([
                ("unixMs", .integer(event.unixMs)),
                ("event", .string(event.name)),
                ("payload", .string(event.payload)),
            ])
        })),
    ])
}
