// DrillOptions.swift — what `vigil-drill` was asked to do, parsed from its
// arguments (and, for --attach, scripts/cluster's environment variables).
//
// Invariants: pure; every problem is a `.usage` message naming the argument;
// numbers are range-checked here so the runner can trust them.

/// Options of one `vigil-drill` run.
public struct DrillOptions: Equatable, Sendable {
    /// The scenarios to run, in order (`all` = every scenario).
    public var scenarios: [Scenario] = []
    /// Use the running scripts/cluster cluster instead of starting one.
    public var attach = false
    /// Servers to run (own cluster only).
    public var backend = Backend.vigil
    /// Print JSON instead of the table.
    public var json = false
    /// Where to write the SVG (default DIR/drill-SCENARIO.svg).
    public var svgPath: String?
    /// Sentinel down-after-milliseconds for the drill's own cluster.
    public var downAfterMilliseconds = 1000
    /// Sentinel failover-timeout for the drill's own cluster.
    public var failoverTimeoutMilliseconds = 10000
    /// Output directory (SVGs; the own clusters live in DIR/SCENARIO/).
    public var directory = ".drill"
    /// Directory holding vigil-server and sentinel (nil: next to vigil-drill).
    public var binDirectory: String?
    /// First port of the own cluster's block of six (nil: pick a free block).
    public var basePort: Int?
    /// Writes before the fault.
    public var warmupMilliseconds = 1000
    /// Writes after the cluster has settled.
    public var tailMilliseconds = 1000
    /// Pause between two writes of the writer.
    public var writeIntervalMicroseconds = 1000
    /// scripts/cluster's layout for --attach.
    public var attached = AttachedCluster()

    /// Creates the defaults.
    public init() {}
}

/// Where scripts/cluster put its cluster (its environment variables).
public struct AttachedCluster: Equatable, Sendable {
    /// `DIR` (default .cluster).
    public var directory = ".cluster"
    /// `PORT`: the first node.
    public var port = 6379
    /// `SENTINEL_PORT`: the first sentinel.
    public var sentinelPort = 26379
    /// `REPLICAS`.
    public var replicas = 2
    /// `SENTINELS`.
    public var sentinels = 3

    /// Creates the defaults.
    public init() {}
}

/// What the command line asks for.
public enum DrillInvocation: Equatable, Sendable {
    /// Run these options.
    case run(DrillOptions)
    /// Print the usage text.
    case help
    /// A bad command line: the message to print (exit 2).
    case usage(String)
}

/// The usage text.
public let drillUsage = """
    usage: vigil-drill SCENARIO [options]

    Scenarios:
    \(Scenario.allCases.map { "  " + $0.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))
      all             every scenario above, each on its own cluster

    Options:
      --attach              drive the cluster of scripts/cluster (env DIR PORT SENTINEL_PORT REPLICAS SENTINELS)
      --redis               run redis-server and redis-sentinel from PATH instead of Vigil's binaries
      --json                print the report as JSON
      --svg PATH            write the SVG timeline here (default DIR/drill-SCENARIO.svg)
      --down-after MS       sentinel down-after-milliseconds (default 1000)
      --failover-timeout MS sentinel failover-timeout (default 10000)
      --dir DIR             output directory; own clusters run in DIR/SCENARIO (default .drill)
      --bin DIR             where vigil-server and sentinel are (default: env VIGIL_BIN_DIR, else next to vigil-drill)
      --port N              first of six consecutive ports for the own cluster (default: a free block)
      --warmup MS           writes before the fault (default 1000)
      --tail MS             writes after the cluster settled (default 1000)

    Exit status: 0 every check passed, 1 a check failed, 2 usage or set-up error.
    """

/// Parses `vigil-drill`'s arguments (without the program name).
public func parseDrillArguments(_ arguments: [String], environment: [String: String] = [:]) -> DrillInvocation {
    var options = DrillOptions()
    var scenarioName: String?
    var index = 0
    func value(_ flag: String) -> String? {
        index += 1
        return index < arguments.count ? arguments[index] : nil
    }
    func number(_ flag: String, _ range: ClosedRange<Int>) -> Result<Int, DrillUsageError> {
        guard let text = value(flag) else { return .failure(DrillUsageError("\(flag) needs a value")) }
        guard let n = Int(text), range.contains(n) else {
            return .failure(DrillUsageError("\(flag): '\(text)' is not a number in \(range.lowerBound)...\(range.upperBound)"))
        }
        return .success(n)
    }
    while index < arguments.count {
        let argument = arguments[index]
        do throws(DrillUsageError) {
            switch argument {
            case "-h", "--help": return .help
            case "--attach": options.attach = true
            case "--redis": options.backend = .redis
            case "--json": options.json = true
            case "--svg":
                guard let path = value(argument), !path.isEmpty else { return .usage("--svg needs a path") }
                options.svgPath = path
            case "--dir":
                guard let path = value(argument), !path.isEmpty else { return .usage("--dir needs a directory") }
                options.directory = path
            case "--bin":
                guard let path = value(argument), !path.isEmpty else { return .usage("--bin needs a directory") }
                options.binDirectory = path
            case "--down-after": options.downAfterMilliseconds = try number(argument, 50...600_000).get()
            case "--failover-timeout": options.failoverTimeoutMilliseconds = try number(argument, 500...3_600_000).get()
            case "--port": options.basePort = try number(argument, 1024...65_529).get()
            case "--warmup": options.warmupMilliseconds = try number(argument, 0...600_000).get()
            case "--tail": options.tailMilliseconds = try number(argument, 0...600_000).get()
            default:
                if argument.hasPrefix("-") { return .usage("unknown option '\(argument)'") }
                guard scenarioName == nil else { return .usage("one scenario at a time (got '\(scenarioName ?? "")' and '\(argument)')") }
                scenarioName = argument
            }
        } catch {
            return .usage(error.message)
        }
        index += 1
    }
    guard let name = scenarioName else { return .usage("which scenario? (\(Scenario.allCases.map(\.rawValue).joined(separator: ", ")), all)") }
    if name == "all" {
        options.scenarios = Scenario.allCases
    } else if let scenario = Scenario(rawValue: name) {
        options.scenarios = [scenario]
    } else {
        return .usage("unknown scenario '\(name)' (\(Scenario.allCases.map(\.rawValue).joined(separator: ", ")), all)")
    }
    if options.attach && options.backend == .redis {
        return .usage("--attach drives scripts/cluster's Vigil cluster; --redis starts its own Redis cluster (use one)")
    }
    if options.binDirectory == nil, let fromEnvironment = environment["VIGIL_BIN_DIR"], !fromEnvironment.isEmpty {
        options.binDirectory = fromEnvironment
    }
    if options.attach {
        var cluster = AttachedCluster()
        if let dir = environment["DIR"], !dir.isEmpty { cluster.directory = dir }
        func environmentNumber(_ name: String, _ range: ClosedRange<Int>, default fallback: Int) -> Result<Int, DrillUsageError> {
            guard let text = environment[name], !text.isEmpty else { return .success(fallback) }
            guard let n = Int(text), range.contains(n) else {
                return .failure(DrillUsageError("\(name)='\(text)' is not a number in \(range.lowerBound)...\(range.upperBound)"))
            }
            return .success(n)
        }
        do throws(DrillUsageError) {
            cluster.port = try environmentNumber("PORT", 1...65_535, default: cluster.port).get()
            cluster.sentinelPort = try environmentNumber("SENTINEL_PORT", 1...65_535, default: cluster.sentinelPort).get()
            cluster.replicas = try environmentNumber("REPLICAS", 1...16, default: cluster.replicas).get()
            cluster.sentinels = try environmentNumber("SENTINELS", 3...9, default: cluster.sentinels).get()
        } catch {
            return .usage(error.message)
        }
        options.attached = cluster
    }
    return .run(options)
}

/// A command-line problem, worded for the user.
public struct DrillUsageError: Error, Equatable, Sendable {
    /// What is wrong.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
}
