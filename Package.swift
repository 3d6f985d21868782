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
    ],
    targets: [
        // The only C: headers Glibc's module map does not expose (epoll, accept4, eventfd).
        .target(name: "CVigilSys"),
        // Pure modules: no sockets, files or clocks.
        .target(name: "RESP", swiftSettings: fast),
        .target(name: "Keyspace", swiftSettings: fast),
        .target(name: "RDB", swiftSettings: fast),
        .target(name: "Config"),
        // The shell: the only module that makes syscalls.
        .target(name: "EventLoop", dependencies: ["CVigilSys"], swiftSettings: fast),
        // The data node.
        .target(name: "Node", dependencies: ["RESP", "Keyspace", "RDB", "Config", "EventLoop", "CVigilSys"], swiftSettings: fast),
        .executableTarget(name: "vigil-server", dependencies: ["Node"], swiftSettings: fast),

        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "KeyspaceTests", dependencies: ["Keyspace"]),
        .testTarget(name: "RDBTests", dependencies: ["RDB"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop"]),
        .testTarget(name: "NodeTests", dependencies: ["Node"]),
    ]
)
