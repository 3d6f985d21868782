// DirectiveSpec: one row of the directive table — names, value syntax,
// default, runtime mutability and the extra checks some directives need.
//
// Checks, in the order they run:
//   1. `kind.parse` (syntax and range, Redis's texts);
//   2. `normalize` (e.g. hz is clamped to 1…500 like Redis's updateHZ);
//   3. `validate` (always an error, e.g. dbfilename with a '/');
//   4. `refuse` (a valid Redis setting Vigil does not support yet, e.g.
//      `appendonly yes`). While loading, refusals are checked on the final
//      value, so a later line (or `--appendonly no`) can still rescue it.

/// Properties of a directive.
struct DirectiveFlags: OptionSet, Sendable {
    let rawValue: UInt8
    /// CONFIG SET may change it.
    static let mutable = DirectiveFlags(rawValue: 1 << 0)
    /// Holds a secret (redact from logs, MONITOR, SLOWLOG).
    static let sensitive = DirectiveFlags(rawValue: 1 << 1)
    /// CONFIG SET needs `enable-protected-configs` (Redis 7.0: dir, dbfilename).
    static let protected = DirectiveFlags(rawValue: 1 << 2)
    /// Accepted and stored for compatibility, but Vigil does not act on it.
    static let noEffect = DirectiveFlags(rawValue: 1 << 3)
}

typealias ValueCheck = @Sendable (ConfigValue) -> String?

/// One configuration directive.
struct DirectiveSpec: Sendable {
    let name: String
    let aliases: [String]
    let kind: DirectiveKind
    let defaultValue: ConfigValue
    let flags: DirectiveFlags
    var sentinelDefault: ConfigValue? = nil
    var validate: ValueCheck? = nil
    var refuse: ValueCheck? = nil
    var normalize: (@Sendable (ConfigValue) -> ConfigValue)? = nil

    /// The default in `mode` (sentinels listen on 26379 with protected mode off).
    func defaultValue(for mode: ConfigMode) -> ConfigValue {
        mode == .sentinel ? (sentinelDefault ?? defaultValue) : defaultValue
    }

    /// Runs normalize, validate and (optionally) refuse on a parsed value.
    func finish(_ value: ConfigValue, checkRefusal: Bool) throws(ValueError) -> ConfigValue {
        let v = normalize?(value) ?? value
        if let reason = validate?(v) { throw ValueError(reason) }
        if checkRefusal, let reason = refuse?(v) { throw ValueError(reason) }
        return v
    }

    // MARK: - Table builders

    static func bool(_ name: String, _ aliases: [String] = [], _ value: Bool, _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: aliases, kind: .bool, defaultValue: .bool(value), flags: flags)
    }

    static func int(_ name: String, _ aliases: [String] = [], _ min: Int, _ max: Int, _ value: Int,
                    _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: aliases, kind: .integer(min: min, max: max),
                      defaultValue: .integer(value), flags: flags)
    }

    static func memory(_ name: String, _ aliases: [String] = [], _ min: Int, _ max: Int, _ value: Int,
                       _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: aliases, kind: .memory(min: min, max: max),
                      defaultValue: .integer(value), flags: flags)
    }

    static func enumeration(_ name: String, _ words: [String], _ value: String, _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: [], kind: .enumeration(words), defaultValue: .string(value), flags: flags)
    }

    static func string(_ name: String, _ aliases: [String] = [], _ value: String, nullable: Bool,
                       _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: aliases, kind: .string(nullable: nullable),
                      defaultValue: .string(value), flags: flags)
    }

    static func special(_ name: String, _ aliases: [String] = [], _ kind: DirectiveKind, _ value: ConfigValue,
                        _ flags: DirectiveFlags) -> DirectiveSpec {
        DirectiveSpec(name: name, aliases: aliases, kind: kind, defaultValue: value, flags: flags)
    }

    func inSentinel(_ value: ConfigValue) -> DirectiveSpec {
        var copy = self
        copy.sentinelDefault = value
        return copy
    }

    func validating(_ check: @escaping ValueCheck) -> DirectiveSpec {
        var copy = self
        copy.validate = check
        return copy
    }

    func refusing(_ check: @escaping ValueCheck) -> DirectiveSpec {
        var copy = self
        copy.refuse = check
        return copy
    }

    func normalizing(_ f: @escaping @Sendable (ConfigValue) -> ConfigValue) -> DirectiveSpec {
        var copy = self
        copy.normalize = f
        return copy
    }
}

/// Whether the configuration is for a data node or a sentinel.
public enum ConfigMode: Sendable, Equatable {
    /// `vigil-server`: `sentinel …` lines are an error.
    case server
    /// `sentinel`: `sentinel …` lines are collected for the sentinel module;
    /// port defaults to 26379 and protected-mode to no.
    case sentinel
}
