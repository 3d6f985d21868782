// ListMove: LMOVE and RPOPLPUSH, and the atomic pop-then-push they share with
// BLMOVE/BRPOPLPUSH.
//
// Invariants (Redis 7.0):
// - A missing source answers null whatever the destination holds.
// - The destination's type is checked before anything is popped: WRONGTYPE
//   leaves both keys untouched.
// - Source == destination rotates the list in one update, so a one-element
//   list keeps its key and TTL instead of being deleted and re-created.

import RESP
import Keyspace

/// Specs of this file's commands.
func listMoveCommands() -> [CommandSpec] {
    [
        CommandSpec("lmove", arity: 5, flags: [.write, .denyOOM], keys: (1, 2, 1),
                    categories: ListCategories.writeSlow, handler: lmove),
        CommandSpec("rpoplpush", arity: 3, flags: [.write, .denyOOM], keys: (1, 2, 1),
                    categories: ListCategories.writeSlow, handler: rpoplpush),
    ]
}

private func lmove(_ ctx: inout CommandContext) throws(CommandError) {
    let from = try ctx.listEnd(3)
    let to = try ctx.listEnd(4)
    try moveListElement(&ctx, from: from, to: to)
}

private func rpoplpush(_ ctx: inout CommandContext) throws(CommandError) {
    try moveListElement(&ctx, from: .right, to: .left)
}

/// Pops from `from` of the list at args[1] and pushes onto `to` of the list at
/// args[2], replying with the element (null when the source is missing).
func moveListElement(_ ctx: inout CommandContext, from: ListEnd, to: ListEnd) throws(CommandError) {
    let source = ctx.args[1]
    let destination = ctx.args[2]
    guard try ctx.listExistsForWrite(source) else {
        ctx.reply.null()
        return
    }
    if source == destination {
        let moved = try ctx.updateList(source, create: false) { (list: inout Deque<Bytes>) -> Bytes? in
            guard let element = list.pop(from: from) else { return nil }
            list.push(element, to: to)
            return element
        }
        if let moved, let moved { ctx.reply.bulk(moved) } else { ctx.reply.null() }
        return
    }
    _ = try ctx.listExistsForWrite(destination)
    let popped = try ctx.updateList(source, create: false) { (list: inout Deque<Bytes>) in list.pop(from: from) }
    guard let popped, let element = popped else {
        ctx.reply.null()
        return
    }
    _ = try ctx.updateList(destination, create: true) { (list: inout Deque<Bytes>) in list.push(element, to: to) }
    ctx.reply.bulk(element)
}
