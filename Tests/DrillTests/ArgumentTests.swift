// ArgumentTests.swift — vigil-drill's command line.

import Drill
import Testing

@Suite struct ArgumentTests {
    @Test(arguments: Scenario.allCases)
    func eachScenarioNameRunsThatScenarioAlone(_ scenario: Scenario) {
        guard case .run(let options) = parseDrillArguments([scenario.rawValue]) else {
            Issue.record("not parsed")
            return
        }
        #expect(options.scenarios == [scenario])
        #expect(options.backend == .vigil && !options.attach && !options.json)
        #expect(options.downAfterMilliseconds == 1000 && options.failoverTimeoutMilliseconds == 10000)
    }

    @Test func allRunsEveryScenarioInOrder() {
        guard case .run(let options) = parseDrillArguments(["all"]) else {
            Issue.record("not parsed")
            return
        }
        #expect(options.scenarios == Scenario.allCases)
    }

    @Test func optionsAreReadWithTheirValues() {
        let parsed = parseDrillArguments(["--json", "kill-master", "--redis", "--svg", "out.svg", "--down-after", "300",
                                          "--failover-timeout", "5000", "--dir", "d", "--bin", "b", "--port", "23000",
                                          "--warmup", "200", "--tail", "100"])
        guard case .run(let o) = parsed else {
            Issue.record("not parsed: \(parsed)")
            return
        }
        #expect(o.json && o.backend == .redis && o.svgPath == "out.svg" && o.downAfterMilliseconds == 300)
        #expect(o.failoverTimeoutMilliseconds == 5000 && o.directory == "d" && o.binDirectory == "b" && o.basePort == 23000)
        #expect(o.warmupMilliseconds == 200 && o.tailMilliseconds == 100)
    }

    @Test(arguments: [
        ([], "which scenario?"),
        (["explode"], "unknown scenario 'explode'"),
        (["kill-master", "switchover"], "one scenario at a time"),
        (["kill-master", "--frobnicate"], "unknown option '--frobnicate'"),
        (["kill-master", "--down-after"], "--down-after needs a value"),
        (["kill-master", "--down-after", "soon"], "--down-after: 'soon' is not a number"),
        (["kill-master", "--port", "80"], "--port: '80' is not a number in 1024...65529"),
        (["kill-master", "--attach", "--redis"], "--attach drives scripts/cluster's Vigil cluster"),
    ])
    func badCommandLinesAreUsageErrorsThatSayWhy(_ arguments: [String], _ message: String) {
        guard case .usage(let text) = parseDrillArguments(arguments) else {
            Issue.record("accepted \(arguments)")
            return
        }
        #expect(text.hasPrefix(message), "\(text)")
    }

    @Test func helpIsHelp() {
        #expect(parseDrillArguments(["-h"]) == .help)
        #expect(parseDrillArguments(["kill-master", "--help"]) == .help)
        #expect(drillUsage.contains("lose-sentinels") && drillUsage.contains("--attach"))
    }

    @Test func binDirectoryComesFromVigilBinDirUnlessGiven() {
        guard case .run(let fromEnvironment) = parseDrillArguments(["kill-master"], environment: ["VIGIL_BIN_DIR": "/x/debug"]),
              case .run(let explicit) = parseDrillArguments(["kill-master", "--bin", "/y"], environment: ["VIGIL_BIN_DIR": "/x/debug"]) else {
            Issue.record("not parsed")
            return
        }
        #expect(fromEnvironment.binDirectory == "/x/debug")
        #expect(explicit.binDirectory == "/y")
    }

    @Test func attachReadsScriptsClusterEnvironment() {
        let environment = ["DIR": "/c", "PORT": "7379", "SENTINEL_PORT": "27379", "REPLICAS": "3", "SENTINELS": "5"]
        guard case .run(let o) = parseDrillArguments(["kill-master", "--attach"], environment: environment) else {
            Issue.record("not parsed")
            return
        }
        #expect(o.attach && o.attached.directory == "/c" && o.attached.port == 7379)
        #expect(o.attached.sentinelPort == 27379 && o.attached.replicas == 3 && o.attached.sentinels == 5)
        let layout = ClusterLayout.attached(o.attached, absoluteDirectory: "/c")
        #expect(layout.nodePorts == [7379, 7380, 7381, 7382] && layout.sentinelPorts == [27379, 27380, 27381, 27382, 27383])
        #expect(parseDrillArguments(["kill-master", "--attach"], environment: ["SENTINELS": "two"])
                == .usage("SENTINELS='two' is not a number in 3...9"))
    }
}
