// RedisURI.swift — the -u option: redis://[[user]:password@]host[:port][/db],
// read like redis-cli's parseRedisUri:
//
//   1. The scheme must be "redis://" (any case); TLS ("rediss://") is not
//      supported by vigil-cli and is rejected like any other scheme.
//   2. Everything before the first '@' is user info: "user:password" or
//      just "password", both percent-decoded.
//   3. Then host, ":port" and "/db"; each part may be missing, and only the
//      parts present override the other options.
//
// Deviation: an empty user ("redis://:pass@host") means no user, so AUTH is
// sent with the password alone (redis-cli sends AUTH "" pass, which fails).

import RESP

/// The parts of a redis:// URI that were present.
public struct RedisURI: Equatable, Sendable {
    /// ACL user ("user" of "user:password@"); nil when absent or empty.
    public var user: String?
    /// Password (percent-decoded).
    public var password: String?
    /// Host name or address.
    public var host: String?
    /// Port (C atoi of the text after ':').
    public var port: Int?
    /// Database (C atoi of the path).
    public var database: Int?

    /// A URI with the given parts.
    public init(user: String? = nil, password: String? = nil, host: String? = nil,
                port: Int? = nil, database: Int? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Copies the present parts into `options`.
    public func apply(to options: inout CLIOptions) {
        if let user { options.user = user }
        if let password { options.password = password }
        if let host { options.host = host }
        if let port { options.port = port }
        if let database { options.database = database }
    }
}

/// Why a -u argument was rejected; `message` is what redis-cli prints.
public enum RedisURIError: Error, Equatable, Sendable {
    /// Not "redis://".
    case invalidScheme
    /// A '%' without two characters after it.
    case incompleteEncoding
    /// A '%' followed by something that is not two hex digits.
    case illegalEncoding

    /// redis-cli's text for the error.
    public var message: String {
        switch self {
        case .invalidScheme: return "Invalid URI scheme"
        case .incompleteEncoding: return "Incomplete URI encoding"
        case .illegalEncoding: return "Illegal character in URI encoding"
        }
    }
}

/// Parses a -u argument.
public func parseRedisURI(_ text: String) -> Result<RedisURI, RedisURIError> {
    let scheme = "redis://"
    guard text.lowercased().hasPrefix(scheme) else { return .failure(.invalidScheme) }
    var rest = Substring(text).dropFirst(scheme.count)
    var uri = RedisURI()
    if let at = rest.firstIndex(of: "@") {
        var secret = rest[..<at]
        if let colon = secret.firstIndex(of: ":") {
            switch percentDecode(secret[..<colon]) {
            case .success(let user): uri.user = user.isEmpty ? nil : user
            case .failure(let e): return .failure(e)
            }
            secret = secret[secret.index(after: colon)...]
        }
        switch percentDecode(secret) {
        case .success(let password): uri.password = password
        case .failure(let e): return .failure(e)
        }
        rest = rest[rest.index(after: at)...]
    }
    let slash = rest.firstIndex(of: "/")
    let hostPort = rest[..<(slash ?? rest.endIndex)]
    if !hostPort.isEmpty {
        if let colon = hostPort.firstIndex(of: ":") {
            uri.host = String(hostPort[..<colon])
            uri.port = Int(clamping: leadingInteger(String(hostPort[hostPort.index(after: colon)...])))
        } else {
            uri.host = String(hostPort)
        }
    }
    if let slash {
        let db = rest[rest.index(after: slash)...]
        if !db.isEmpty { uri.database = Int(Int32(clamping: leadingInteger(String(db)))) }
    }
    return .success(uri)
}

/// Decodes %HH escapes.
private func percentDecode(_ text: Substring) -> Result<String, RedisURIError> {
    var out = Bytes()
    var bytes = Array(text.utf8)[...]
    while let b = bytes.popFirst() {
        guard b == UInt8(ascii: "%") else {
            out.append(b)
            continue
        }
        guard bytes.count >= 2 else { return .failure(.incompleteEncoding) }
        let pair = String(decoding: bytes.prefix(2), as: UTF8.self)
        guard let value = UInt8(pair, radix: 16) else { return .failure(.illegalEncoding) }
        out.append(value)
        bytes = bytes.dropFirst(2)
    }
    return .success(String(decoding: out, as: UTF8.self))
}
