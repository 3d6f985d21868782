// swift-tools-version:6.0
// Vigil: a Redis-compatible replicating key-value server and Sentinel-style
// failover monitor. No package dependencies, by design (see README).
import PackageDescription

/// Release-only flags measured to help the hot path (see PERFORMANCE-NOTES).
let fast: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Vigil",
    products: [
        .executable(name: "vigil-server", targets: ["vigil-server"]),
        .executable(name: "vigil-cli", targets: ["vigil-cli"]),
        .executable(name: "sentinel", targets: ["sentinel"]),
        .executable(name: "vigil-drill", targets: ["vigil-drill"]),
    ],
    targets: [
        // The only C: headers Glibc's module map does not expose (epoll, accept4, eventfd).
        .target(name: "CVigilSys"),
        // Pure modules: no sockets, files or clocks.
        .target(name: "RESP", swiftSettings: fast),
        .target(name: "Keyspace", swiftSettings: fast),
        .target(name: "RDB", swiftSettings: fast),
        .target(name: "Config"),
        .target(name: "Replication", dependencies: ["RESP"], swiftSettings: fast),
        // The shell: the only module that makes syscalls.
        .target(name: "EventLoop", dependencies: ["CVigilSys"], swiftSettings: fast),
        // The data node.
        .target(name: "Node", dependencies: ["RESP", "Keyspace", "RDB", "Config", "Replication", "EventLoop", "CVigilSys"], swiftSettings: fast),
        .executableTarget(name: "vigil-server", dependencies: ["Node", "Sentinel"], swiftSettings: fast),
        .target(name: "CLI", dependencies: ["RESP", "EventLoop"]),
        .executableTarget(name: "vigil-cli", dependencies: ["CLI"]),
        // The failover monitor: a pure core, its shell (links, SENTINEL commands), and its operator CLI.
        .target(name: "SentinelCore", dependencies: ["Config"]),
        .target(name: "Sentinel", dependencies: ["SentinelCore", "Node", "Config", "EventLoop", "RESP"]),
        .target(name: "SentinelCLI", dependencies: ["CLI", "RESP"]),
        .executableTarget(name: "sentinel", dependencies: ["Sentinel", "SentinelCLI"]),
        // Failover drills (scripts/drill): fault injection, timeline, verdict.
        .target(name: "Drill", dependencies: ["CLI", "RESP"]),
        .executableTarget(name: "vigil-drill", dependencies: ["Drill"]),

        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "KeyspaceTests", dependencies: ["Keyspace"]),
        .testTarget(name: "RDBTests", dependencies: ["RDB"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop"]),
        .testTarget(name: "ReplicationTests", dependencies: ["Replication"]),
        .testTarget(name: "NodeTests", dependencies: ["Node"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
        .testTarget(name: "SentinelCoreTests", dependencies: ["SentinelCore"]),
        .testTarget(name: "SentinelTests", dependencies: ["Sentinel"]),
        .testTarget(name: "SentinelCLITests", dependencies: ["SentinelCLI"]),
        .testTarget(name: "DrillTests", dependencies: ["Drill"]),
    ]
)
