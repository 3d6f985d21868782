// DecodingTests.swift — reading SENTINEL replies: field lists, flags, state,
// INFO-CACHE offsets, EVENTS, and the replication lag computed from them.

import RESP
import Testing
@testable import SentinelCLI

@Suite struct DecodingTests {
    @Test func flatRESP2FieldListKeepsOrderAndValues() throws {
        let fields = try #require(InstanceFields(reply: flat(Fixture.masterPairs)))
        #expect(fields.pairs.count == Fixture.masterPairs.count)
        #expect(fields.pairs.first?.name == "name")
        #expect(fields["config-epoch"] == "1")
        #expect(fields.integer("quorum") == 2)
        #expect(fields.address == "127.0.0.1:17302")
        #expect(fields["no-such-field"] == nil)
    }

    @Test func resp3MapDecodesLikeTheFlatArray() throws {
        let map = RESPValue.map([RESPPair(bulk("name"), bulk("mymaster")), RESPPair(bulk("quorum"), .integer(2))])
        let fields = try #require(InstanceFields(reply: map))
        #expect(fields == InstanceFields([("name", "mymaster"), ("quorum", "2")]))
    }

    @Test func oddLengthOrNonArrayIsNotAFieldList() {
        #expect(InstanceFields(reply: .array([bulk("name")])) == nil)
        #expect(InstanceFields(reply: .error("ERR No such master with that name")) == nil)
    }

    @Test(arguments: [
        ("master", MasterState.ok),
        ("s_down,master", .sdown),
        ("s_down,o_down,master", .odown),
        ("s_down,o_down,master,failover_in_progress", .failoverInProgress),
        ("master,failover_in_progress,force_failover", .failoverInProgress),
        ("master,disconnected", .ok),
    ])
    func stateIsTheMostSeriousFlag(flags: String, state: MasterState) {
        #expect(MasterState(flags: InstanceFields([("flags", flags)]).flags) == state)
    }

    @Test func masterOffsetComesFromTheMastersCachedInfo() {
        #expect(masterReplOffset(infoCache: Fixture.infoCache(masterOffset: 9300), master: "mymaster") == 9300)
        #expect(masterReplOffset(infoCache: Fixture.infoCache(masterOffset: 9300), master: "other") == nil)
        let noInfo = RESPValue.array([bulk("mymaster"), .array([.array([.integer(0), .null])])])
        #expect(masterReplOffset(infoCache: noInfo, master: "mymaster") == nil)
    }

    @Test func infoFieldsReadWithEitherLineEnding() {
        #expect(infoField("sentinel_tilt", in: "# Sentinel\r\nsentinel_masters:1\r\nsentinel_tilt:1\r\n") == "1")
        #expect(infoField("b", in: "a:1\nb:x:y\n") == "x:y")
        #expect(infoField("c", in: "a:1\nb:2") == nil)
    }

    @Test(arguments: [
        (Int64(1000), Int64(827), Int64(173)),
        (1000, 1000, 0),
        (1000, 1200, 0),  // the replica's INFO is newer than the master's: no negative lag
    ])
    func lagIsMasterOffsetMinusReplicaOffsetNeverNegative(master: Int64, replica: Int64, lag: Int64) {
        #expect(replicationLag(masterOffset: master, replicaOffset: replica) == lag)
    }

    @Test func lagIsUnknownWithoutBothOffsets() {
        #expect(replicationLag(masterOffset: nil, replicaOffset: 5) == nil)
        #expect(replicationLag(masterOffset: 5, replicaOffset: nil) == nil)
    }

    @Test func eventsDecodeAndSkipMalformedEntries() throws {
        var items = try #require(Fixture.eventsReply(Array(Fixture.leaderEvents.prefix(2))).elements)
        items.append(.array([bulk("not a time"), bulk("mymaster"), bulk("+x"), bulk("y")]))
        items.append(.array([.integer(1), bulk("mymaster")]))
        #expect(decodeEvents(.array(items)) == Array(Fixture.leaderEvents.prefix(2)))
        #expect(decodeEvents(.error("ERR unknown subcommand 'EVENTS'. Try SENTINEL HELP.")) == nil)
    }
}
