// LinkReply: what an InstanceLink hands back for a command — a decoded RESP
// value (error replies included: "-ERR …" is a value, not a failure) or the
// reason no reply will ever come. Also the credentials a link sends first.

import RESP

/// Why a command sent on an `InstanceLink` got no reply.
public enum LinkFailure: Error, Sendable, Equatable {
    /// The connection ended (or was never up) before the reply arrived.
    case disconnected
}

/// The outcome of one command sent on an `InstanceLink`.
public enum LinkReply: Sendable, Equatable {
    /// The instance replied; an error reply is `.value(.error("ERR …"))`.
    case value(RESPValue)
    /// No reply will come.
    case failure(LinkFailure)

    /// The reply value, nil on failure.
    public var value: RESPValue? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// Credentials a link sends as its first command: `AUTH user password`, or
/// `AUTH password` when `user` is nil.
public struct LinkAuth: Sendable, Equatable {
    /// ACL user name; nil authenticates the default user with the password alone.
    public var user: String?
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(user: String? = nil, password: String) {
        self.user = user
        self.password = password
    }

    /// The AUTH command's arguments.
    var arguments: [Bytes] {
        var args: [Bytes] = [Array("AUTH".utf8)]
        if let user { args.append(Array(user.utf8)) }
        args.append(Array(password.utf8))
        return args
    }
}
