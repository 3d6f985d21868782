// ReplicaCommandGuard: the two refusals a replica applies before running a
// command from a normal client (Redis's processCommand): writes on a
// read-only replica (-READONLY) and, while the master link is down with
// replica-serve-stale-data no, every command without the `stale` flag
// (-MASTERDOWN). The master client is never refused.

extension CommandError {
    /// Redis's shared.roslaveerr.
    static let readOnlyReplica = CommandError("READONLY You can't write against a read only replica.")
    /// Redis's shared.masterdownerr.
    static let masterDown = CommandError("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")
}

extension Server {
    /// Why `client` may not run `spec` on this replica now, or nil.
    @inline(__always)
    func replicaRefusal(_ client: Client, _ spec: CommandSpec) -> CommandError? {
        guard replicaSide.target != nil, client.kind != .master else { return nil }
        return slowReplicaRefusal(client, spec)
    }

    private func slowReplicaRefusal(_ client: Client, _ spec: CommandSpec) -> CommandError? {
        if config.replicaReadOnly, isWrite(client, spec) { return .readOnlyReplica }
        if !replicaSide.isLinkUp, !config.replicaServeStaleData, deniedWhenStale(client, spec) { return .masterDown }
        return nil
    }

    /// A write command, or EXEC of a transaction that queued one.
    private func isWrite(_ client: Client, _ spec: CommandSpec) -> Bool {
        if spec.flags.contains(.write) { return true }
        guard spec.name == "exec", let queued = client.transaction?.queued else { return false }
        return queued.contains { commands.lookup($0[0])?.flags.contains(.write) ?? false }
    }

    /// A command without the stale flag, or EXEC of a transaction that queued one.
    private func deniedWhenStale(_ client: Client, _ spec: CommandSpec) -> Bool {
        if spec.name == "exec", let queued = client.transaction?.queued {
            return queued.contains { !(commands.lookup($0[0])?.flags.contains(.stale) ?? true) }
        }
        return !spec.flags.contains(.stale)
    }
}
