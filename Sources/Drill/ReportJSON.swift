// ReportJSON.swift — a drill report as JSON (`--json`): the same facts as
// the table, with times in milliseconds relative to the first fault.
//
// Invariants: pure; keys are snake_case and stable (scripts and tests read
// them); absent values are null, never missing keys.

extension DrillReport {
    /// The report as a JSON document.
    public var json: JSON {
        .object([
            ("scenario", .string(scenario.rawValue)),
            ("backend", .string(backend.rawValue)),
            ("attached", .bool(attached)),
            ("passed", .bool(passed)),
            ("cluster", .object([
                ("directory", .string(clusterDirectory)),
                ("down_after_ms", .int(downAfterMilliseconds)),
                ("failover_timeout_ms", .int(failoverTimeoutMilliseconds)),
                ("original_master", .string(originalMaster.description)),
                ("sentinels", .array(sentinelLabels.map { .object([("label", .string($0.label)), ("address", .string($0.address.description))]) })),
            ])),
            ("faults", .array(faults.map(\.json))),
            ("timeline", .array(timeline.map { entry in
                .object([("t_ms", .integer(milliseconds(entry.time))), ("kind", .string(entry.kind.rawValue)),
                         ("source", .string(entry.source)), ("text", .string(entry.text))])
            })),
            ("writes", writesJSON(acknowledged: acknowledged, failures: failures, lost: lost, prefix: keyPrefix)),
            ("split_brain_writes", splitBrainLost.map { lost in
                var object = writesJSON(acknowledged: splitBrainAcknowledged ?? 0, failures: [:], lost: lost, prefix: splitBrainKeyPrefix ?? "")
                if case .object(var members) = object {
                    members.insert(("acknowledged_after_resume", .int(splitBrainAcknowledgedAfterResume ?? 0)), at: 1)
                    object = .object(members)
                }
                return object
            } ?? .null),
            ("final", .object([
                ("master", .optional(finalMaster?.description)),
                ("converged", .bool(converged)),
                ("nodes", .array(nodes.map(\.json))),
                ("sentinels", .array(sentinels.map { .object([("address", .string($0.address.description)), ("alive", .bool($0.alive)),
                                                             ("master", .optional($0.master?.description))]) })),
            ])),
            ("old_master", .string(oldMasterFate)),
            ("resync", .optional(resync)),
            ("checks", .array(checks.map { .object([("title", .string($0.title)), ("outcome", .string($0.outcome.rawValue.lowercased())),
                                                    ("detail", .string($0.detail))]) })),
            ("writes_per_100ms", .object([("first_bucket_ms", .integer(Int64(buckets.firstIndex) * 100)),
                                          ("counts", .array(buckets.counts.map { .int($0) }))])),
            ("svg", .optional(svgPath)),
        ])
    }
}

extension FaultSummary {
    var json: JSON {
        .object([
            ("label", .string(label)),
            ("at_ms", .integer(milliseconds(time))),
            ("settled_ms", settled.map { .integer(milliseconds($0)) } ?? .null),
            ("unavailable_ms", unavailability.map { .integer(milliseconds($0.duration)) } ?? .null),
            ("unavailable_from_ms", unavailability.map { .integer(milliseconds($0.start)) } ?? .null),
            ("unavailable_to_ms", unavailability.map { .integer(milliseconds($0.end)) } ?? .null),
            ("writes_resumed", .bool(unavailability.map { !$0.isOpen } ?? true)),
        ])
    }
}

extension NodeObservation {
    var json: JSON {
        var role: JSON = .null, follows: JSON = .null, link: JSON = .null
        switch self.role {
        case .master: role = .string("master")
        case .replica(let of, let up): role = .string("replica"); follows = .string(of.description); link = .bool(up)
        case nil: break
        }
        return .object([("address", .string(address.description)), ("alive", .bool(alive)), ("role", role),
                        ("follows", follows), ("link_up", link), ("state", .string(describe(self)))])
    }
}

private func writesJSON(acknowledged: Int, failures: [String: Int], lost: LostWrites, prefix: String) -> JSON {
    .object([
        ("acknowledged", .int(acknowledged)),
        ("failed", .int(failures.values.reduce(0, +))),
        ("failures", .object(failures.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ("checked", .int(lost.checked)),
        ("lost", .int(lost.lost.count)),
        ("lost_keys", .array(lost.lost.prefix(100).map { .string("\(prefix)\($0)") })),
        ("lookup_error", .optional(lost.error)),
    ])
}

/// Nanoseconds as whole milliseconds, rounded to nearest.
func milliseconds(_ nanoseconds: Int64) -> Int64 {
    nanoseconds >= 0 ? (nanoseconds + 500_000) / 1_000_000 : -((-nanoseconds + 500_000) / 1_000_000)
}

/// Several reports (`all`) as one document.
public func drillJSON(_ reports: [DrillReport]) -> JSON {
    .object([("passed", .bool(reports.allSatisfy(\.passed))), ("scenarios", .array(reports.map(\.json)))])
}
