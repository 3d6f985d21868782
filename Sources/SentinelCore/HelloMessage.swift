// HelloMessage: the payload sentinels publish on `__sentinel__:hello` every
// two seconds, through each monitored master and replica (and directly to
// other sentinels), to announce themselves and their view of a master:
//
//   ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch
//
// e.g. `10.0.0.5,26379,2c7f…(40 hex),7,mymaster,10.0.0.1,6379,7`.
//
// Invariants:
//   - `init?(payload:)` accepts exactly what a correct sentinel sends and
//     nothing else: 8 comma-separated tokens, ports 1...65535 and epochs as
//     plain decimal (no sign, no leading zeros, at most Int64.max — the
//     largest epoch is-master-down-by-addr can carry, and room to count
//     up without overflow), a run ID of
//     exactly 40 lowercase hex digits, non-empty addresses and master name.
//     Redis parses the same tokens with atoi/strtoull and would take garbage
//     as port 0 or epoch 0; this is network input, so we reject instead.
//   - `payload` renders like Redis's sentinelSendHello (`%s,%d,%s,%llu,…`),
//     and `HelloMessage(payload: m.payload) == m` for every valid message.
//   - The master name may contain any byte but ','; addresses may not
//     contain ',' or blanks/control bytes.
// The file also holds `SentinelSyntax`, the strict number / ID / address
// checks shared with InfoReport and SentinelFileConfig.

/// One sentinel hello message (see file header for the wire format).
public struct HelloMessage: Sendable, Equatable {
    /// The Pub/Sub channel hello messages travel on.
    public static let channel = "__sentinel__:hello"

    /// The address the sending sentinel can be reached at (announce-ip or
    /// the local address of its link).
    public var announceIP: String
    /// The sending sentinel's port (announce-port or its listening port).
    public var announcePort: Int
    /// The sending sentinel's ID (`sentinel myid`), 40 hex digits.
    public var runID: String
    /// The sending sentinel's current epoch.
    public var currentEpoch: UInt64
    /// The master the message is about, by the sender's name for it.
    public var masterName: String
    /// Where the sender believes that master is now.
    public var masterIP: String
    /// The port of that master.
    public var masterPort: Int
    /// The configuration epoch of the sender's view of the master.
    public var masterConfigEpoch: UInt64

    /// Memberwise; no validation (use `init?(payload:)` for untrusted input).
    public init(announceIP: String, announcePort: Int, runID: String, currentEpoch: UInt64,
                masterName: String, masterIP: String, masterPort: Int, masterConfigEpoch: UInt64) {
        self.announceIP = announceIP
        self.announcePort = announcePort
        self.runID = runID
        self.currentEpoch = currentEpoch
        self.masterName = masterName
        self.masterIP = masterIP
        self.masterPort = masterPort
        self.masterConfigEpoch = masterConfigEpoch
    }

    /// Parses a received payload; nil unless it is well formed in every
    /// token (see file header).
    public init?(payload: String) {
        let tokens = payload.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard tokens.count == 8 else { return nil }
        let ip = Substring(tokens[0]), name = Substring(tokens[4]), masterIP = Substring(tokens[5])
        guard SentinelSyntax.isAddress(ip), SentinelSyntax.isAddress(masterIP), !name.isEmpty,
              let port = SentinelSyntax.port(Substring(tokens[1])),
              SentinelSyntax.isRunID(Substring(tokens[2])),
              let epoch = SentinelSyntax.epoch(Substring(tokens[3])),
              let masterPort = SentinelSyntax.port(Substring(tokens[6])),
              let configEpoch = SentinelSyntax.epoch(Substring(tokens[7]))
        else { return nil }
        self.init(announceIP: String(ip), announcePort: port, runID: String(Substring(tokens[2])),
                  currentEpoch: epoch, masterName: String(name), masterIP: String(masterIP),
                  masterPort: masterPort, masterConfigEpoch: configEpoch)
    }

    /// The payload as Redis's sentinelSendHello formats it.
    public var payload: String {
        "\(announceIP),\(announcePort),\(runID),\(currentEpoch),"
            + "\(masterName),\(masterIP),\(masterPort),\(masterConfigEpoch)"
    }
}

/// Strict syntax checks shared by the hello, INFO and sentinel.conf parsers.
/// All work on UTF-8 bytes and never trap.
enum SentinelSyntax {
    /// Length of a run ID / sentinel ID (Redis's CONFIG_RUN_ID_SIZE).
    static let runIDLength = 40

    /// True for exactly 40 lowercase hex digits, as Redis generates them.
    static func isRunID(_ s: some StringProtocol) -> Bool {
        guard s.utf8.count == runIDLength else { return false }
        return s.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
        }
    }

    /// A non-negative decimal without sign or leading zeros that fits
    /// UInt64; nil otherwise.
    static func uint64(_ s: some StringProtocol) -> UInt64? {
        let u = s.utf8
        guard let first = u.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        if first == UInt8(ascii: "0") { return u.count == 1 ? 0 : nil }
        var value: UInt64 = 0
        for b in u {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// An epoch: `uint64` limited to Int64.max (what SENTINEL is-master-down-by-addr
    /// can carry; the core adds 1 to epochs, which must not overflow).
    static func epoch(_ s: some StringProtocol) -> UInt64? {
        guard let v = uint64(s), v <= UInt64(Int64.max) else { return nil }
        return v
    }

    /// `uint64` limited to `Int64` (offsets); nil when larger.
    static func int64(_ s: some StringProtocol) -> Int64? {
        guard let v = uint64(s), v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }

    /// A decimal that may start with '-', no leading zeros, fitting Int64.
    static func signedInt64(_ s: some StringProtocol) -> Int64? {
        if s.utf8.first == UInt8(ascii: "-") {
            let magnitude = s.dropFirst()
            guard let v = uint64(magnitude), v != 0, v <= UInt64(Int64.max) + 1 else { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        return int64(s)
    }

    /// A TCP port, 1...65535, in plain decimal.
    static func port(_ s: some StringProtocol) -> Int? {
        guard s.utf8.count <= 5, let v = uint64(s), v >= 1, v <= 65535 else { return nil }
        return Int(v)
    }

    /// A host or IP as carried in hello messages: non-empty, no ',' and no
    /// blank or control bytes.
    static func isAddress(_ s: some StringProtocol) -> Bool {
        !s.utf8.isEmpty && s.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ",") }
    }
}
