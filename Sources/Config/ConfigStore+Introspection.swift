// What the directive table says about each directive — for CONFIG SET
// redaction of secrets (SLOWLOG, MONITOR), warnings about settings Vigil
// accepts but ignores, and documentation.

extension ConfigStore {
    // MARK: - Introspection

    /// What the directive table says about one directive.
    public struct DirectiveInfo: Equatable, Sendable {
        /// The canonical name.
        public var name: String
        /// Other accepted names (e.g. "slaveof").
        public var aliases: [String]
        /// CONFIG SET can change it.
        public var isMutable: Bool
        /// Holds a secret: redact it from logs, MONITOR and SLOWLOG.
        public var isSensitive: Bool
        /// CONFIG SET needs `enable-protected-configs`.
        public var isProtected: Bool
        /// Vigil acts on it (false: accepted for compatibility only).
        public var hasEffect: Bool
    }

    /// Describes a directive by name or alias; nil for unknown names.
    public static func directive(named name: String) -> DirectiveInfo? {
        DirectiveRegistry.index(of: name).map { info(DirectiveRegistry.all[$0]) }
    }

    /// Every directive, in table order.
    public static var allDirectives: [DirectiveInfo] { DirectiveRegistry.all.map(info) }

    private static func info(_ spec: DirectiveSpec) -> DirectiveInfo {
        DirectiveInfo(name: spec.name, aliases: spec.aliases, isMutable: spec.flags.contains(.mutable),
                      isSensitive: spec.flags.contains(.sensitive), isProtected: spec.flags.contains(.protected),
                      hasEffect: !spec.flags.contains(.noEffect))
    }
}
