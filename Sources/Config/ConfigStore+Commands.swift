// CONFIG GET and CONFIG SET on the configuration value, plus the REPLICAOF
// hook. CONFIG SET is atomic: every name is checked, then every value is
// parsed against the new state, and only then are all values stored.

extension ConfigStore {
    // MARK: - CONFIG GET

    /// CONFIG GET with one glob pattern (case-insensitive). A name without
    /// wildcards is looked up directly and echoed as given; a pattern
    /// matches canonical names and aliases alike, as in Redis 7.0.
    public func get(pattern: String) -> [(name: String, value: String)] {
        get(patterns: [pattern])
    }

    /// CONFIG GET with several patterns (Redis 7.0); each name is reported once.
    public func get(patterns: [String]) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var seen: Set<String> = []
        for pattern in patterns {
            if !ConfigPath.hasWildcard(pattern) {
                guard let i = DirectiveRegistry.index(of: pattern), seen.insert(pattern).inserted else { continue }
                out.append((pattern, DirectiveRegistry.all[i].kind.format(values[i])))
                continue
            }
            for (name, i) in DirectiveRegistry.allNames
            where !seen.contains(name) && GlobPattern.matches(pattern, name, caseInsensitive: true) {
                seen.insert(name)
                out.append((name, DirectiveRegistry.all[i].kind.format(values[i])))
            }
        }
        return out
    }

    // MARK: - CONFIG SET

    /// CONFIG SET name value [name value …], all or nothing (Redis 7.0).
    ///
    /// 1. Every name must exist, be mutable, be settable by this client
    ///    (protected configs need `enable-protected-configs yes`, or `local`
    ///    and `isLocalClient`) and appear once; the first problem is reported.
    /// 2. Every value is parsed and checked against the new state (multi-word
    ///    values are split on single spaces); the first bad one is reported.
    /// 3. Only then are all values stored.
    /// - Returns: the canonical names whose value actually changed, in
    ///   argument order — what the Node must apply (re-listen, resize the
    ///   backlog, …). If applying fails, restore a copy taken before `set`.
    @discardableResult
    public mutating func set(_ pairs: [(String, String)], isLocalClient: Bool = false) throws(ConfigError) -> [String] {
        var indices: [Int] = []
        var firstError: ConfigError?
        let protectedSetting = values[ConfigStore.index("enable-protected-configs")]
        let protectedAllowed = protectedSetting == .string("yes")
            || (protectedSetting == .string("local") && isLocalClient)
        for (name, _) in pairs {
            guard let i = DirectiveRegistry.index(of: name) else {
                if firstError == nil { firstError = .unknownOption(name) }
                continue
            }
            indices.append(i)
            guard firstError == nil else { continue }
            let spec = DirectiveRegistry.all[i]
            if !spec.flags.contains(.mutable) {
                firstError = .setFailed(argument: name, reason: "can't set immutable config")
            } else if spec.flags.contains(.protected) && !protectedAllowed {
                firstError = .setFailed(argument: name, reason: "can't set protected config")
            } else if indices.dropLast().contains(i) {
                firstError = .setFailed(argument: name, reason: "duplicate parameter")
            }
        }
        if let firstError { throw firstError }

        var updated = values
        for (k, (name, value)) in pairs.enumerated() {
            let i = indices[k]
            let spec = DirectiveRegistry.all[i]
            let args = spec.kind.isMultiArgument ? ConfigStore.splitOnSpaces(value) : [value]
            do {
                let parsed = try spec.kind.parse(args, current: updated[i], appendSaveRules: false)
                updated[i] = try spec.finish(parsed, checkRefusal: true)
            } catch {
                throw .setFailed(argument: ConfigNumbers.asciiLowercased(name), reason: error.reason)
            }
        }
        var changed: [String] = []
        for i in indices where updated[i] != values[i] && !changed.contains(DirectiveRegistry.all[i].name) {
            changed.append(DirectiveRegistry.all[i].name)
        }
        values = updated
        return changed
    }

    /// Records a REPLICAOF / SLAVEOF command (replicaof is immutable for
    /// CONFIG SET, as in Redis, but CONFIG REWRITE must persist it).
    /// - Returns: true when the value changed.
    @discardableResult
    public mutating func setReplicaOf(_ master: ReplicaOf?) -> Bool {
        let i = ConfigStore.index("replicaof")
        let new = ConfigValue.replicaOf(master)
        defer { values[i] = new }
        return values[i] != new
    }

    /// Redis's `sdssplitlen(value, " ")`: single spaces separate words, so
    /// "a  b" has an empty word in the middle and "" has no words.
    static func splitOnSpaces(_ value: String) -> [String] {
        if value.isEmpty { return [] }
        return value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    }
}
