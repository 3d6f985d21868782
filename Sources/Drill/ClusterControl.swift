// ClusterControl.swift — the processes of one cluster: writing its files,
// starting a member (the server daemonizes and writes its pidfile), sending
// signals to it by pidfile, and stopping everything the drill started.
//
// Invariants: a member is found only through its pidfile, so the drill never
// signals a process it cannot name. A zombie (a SIGKILLed daemon nobody reaps
// yet) counts as not running. `stopAll` runs only for clusters the drill
// owns; an attached cluster is left running.

import Foundation
import Glibc

/// A failure that stops a drill before it can judge anything (exit 2).
public struct DrillFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong and what to do about it.
    public let message: String
    /// Creates a failure.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The programs a cluster runs.
public struct ClusterBinaries: Equatable, Sendable {
    /// The data node (`vigil-server` or `redis-server`).
    public var server: String
    /// The sentinel (`sentinel` or `redis-sentinel`).
    public var sentinel: String

    /// Vigil's binaries in `directory`, or why they are not usable.
    public static func vigil(in directory: String) -> Result<ClusterBinaries, DrillFailure> {
        let binaries = ClusterBinaries(server: directory + "/vigil-server", sentinel: directory + "/sentinel")
        for path in [binaries.server, binaries.sentinel] where access(path, X_OK) != 0 {
            return .failure(DrillFailure("\(path) is missing (build with `swift build -c release`, or pass --bin DIR)"))
        }
        return .success(binaries)
    }

    /// `redis-server` and `redis-sentinel` from PATH, or why they are not there.
    public static func redis(path: String) -> Result<ClusterBinaries, DrillFailure> {
        func find(_ name: String) -> String? {
            path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
        }
        guard let server = find("redis-server"), let sentinel = find("redis-sentinel") else {
            return .failure(DrillFailure("--redis needs redis-server and redis-sentinel on PATH (apt-get install redis-server redis-sentinel)"))
        }
        return .success(ClusterBinaries(server: server, sentinel: sentinel))
    }
}

/// Starts, signals and stops the members of one cluster.
final class ClusterControl {
    var layout: ClusterLayout
    let binaries: ClusterBinaries
    /// True when the drill created the cluster (and must stop it).
    let owned: Bool

    init(layout: ClusterLayout, binaries: ClusterBinaries, owned: Bool) {
        self.layout = layout
        self.binaries = binaries
        self.owned = owned
    }

    /// Writes every config file of a fresh cluster (removing old logs and pidfiles).
    func writeFiles() throws(DrillFailure) {
        let files = FileManager.default
        do {
            if files.fileExists(atPath: layout.directory) { try files.removeItem(atPath: layout.directory) }
            try files.createDirectory(atPath: layout.directory, withIntermediateDirectories: true)
            for file in layout.files { try file.text.write(toFile: file.path, atomically: true, encoding: .utf8) }
        } catch {
            throw DrillFailure("cannot write the cluster's files in \(layout.directory): \(error.localizedDescription)")
        }
    }

    /// Starts `member` with its config file and waits until it answers PING.
    func start(_ member: ClusterLayout.Member, timeoutMilliseconds: Int = 15_000) throws(DrillFailure) {
        let program = if case .node = member { binaries.server } else { binaries.sentinel }
        let outputPath = "\(layout.directory)/\(member.stem).start.out"
        let status = spawnAndWait(program, [layout.configPath(member)], output: outputPath)
        if status != 0 {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw DrillFailure("\(program) \(layout.configPath(member)) exited with status \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let address = NodeAddress(host: layout.host, port: member.port)
        let answered = waitUntil(timeoutMilliseconds: timeoutMilliseconds) { Probe.ping(address) }
        if !answered {
            throw DrillFailure("\(member) did not answer PING within \(timeoutMilliseconds / 1000) s (see \(layout.logPath(member)))")
        }
    }

    /// The pid in `member`'s pidfile.
    func pid(_ member: ClusterLayout.Member) -> Int32? {
        guard let text = try? String(contentsOfFile: layout.pidPath(member), encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// True when `member`'s pidfile names a running process (zombies are not running).
    func isRunning(_ member: ClusterLayout.Member) -> Bool {
        guard let pid = pid(member) else { return false }
        return processRuns(pid)
    }

    /// Sends `signal` to `member`; returns its pid, or nil when it is not running.
    @discardableResult
    func send(_ signal: Int32, to member: ClusterLayout.Member) -> Int32? {
        guard let pid = pid(member), processRuns(pid) else { return nil }
        return kill(pid, signal) == 0 ? pid : nil
    }

    /// Sends `signal` to `pid` straight away (the caller read the pidfile before).
    func signal(_ signal: Int32, pid: Int32?) {
        if let pid, pid > 0 { kill(pid, signal) }
    }

    /// Waits until `pid` has exited (at most 5 s).
    func waitGone(_ pid: Int32?) {
        guard let pid else { return }
        _ = waitUntil(timeoutMilliseconds: 5000, interval: 5) { !processRuns(pid) }
    }

    /// SIGKILLs `member` and waits until it is gone; returns its pid.
    @discardableResult
    func kill9(_ member: ClusterLayout.Member) -> Int32? {
        guard let pid = send(SIGKILL, to: member) else { return nil }
        _ = waitUntil(timeoutMilliseconds: 5000) { !processRuns(pid) }
        return pid
    }

    /// SIGKILLs every running member (own clusters only).
    func stopAll() {
        guard owned else { return }
        for member in layout.members { kill9(member) }
    }
}

/// Runs `program` with `arguments` (stdin /dev/null, stdout and stderr to
/// `output`) and waits for it to exit — a daemonizing server exits as soon as
/// it has forked. Returns the exit status (127 when it could not be run).
func spawnAndWait(_ program: String, _ arguments: [String], output: String) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = argv.withUnsafeMutableBufferPointer { pointers -> Int32 in
        guard let base = pointers.baseAddress else { return EINVAL }
        return posix_spawn(&pid, program, &actions, nil, base, environ)
    }
    guard spawned == 0 else { return 127 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// True when `pid` runs and is not a zombie.
func processRuns(_ pid: Int32) -> Bool {
    guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state != "Z" && state != "X"
}

/// Polls `condition` every 50 ms until it holds or the time is up.
func waitUntil(timeoutMilliseconds: Int, interval: Int64 = 50, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.now() + Int64(timeoutMilliseconds) * 1_000_000
    while true {
        if condition() { return true }
        if MonotonicClock.now() >= deadline { return false }
        MonotonicClock.sleep(milliseconds: interval)
    }
}

/// Finds a block of `count` consecutive free ports below the ephemeral range
/// (so reconnecting clients cannot take a killed node's port), starting near
/// a pid-dependent offset so concurrent drills rarely collide.
func freePortBlock(count: Int, preferred: Int?) -> Result<Int, DrillFailure> {
    if let base = preferred {
        for port in base..<(base + count) where !portIsFree(port) {
            return .failure(DrillFailure("port \(port) is in use (choose another --port)"))
        }
        return .success(base)
    }
    let low = 21_000, high = 32_000, step = 10
    let slots = (high - low) / step
    let first = Int(getpid()) % slots
    for attempt in 0..<slots {
        let base = low + ((first + attempt) % slots) * step
        if (base..<(base + count)).allSatisfy(portIsFree) { return .success(base) }
    }
    return .failure(DrillFailure("no \(count) consecutive free ports between \(low) and \(high)"))
}

/// True when 127.0.0.1:`port` can be listened on (with SO_REUSEADDR, as the servers do).
func portIsFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var sin = sockaddr_in()
    sin.sin_family = sa_family_t(AF_INET)
    sin.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
    sin.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &sin) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return bound == 0 && listen(fd, 1) == 0
}
