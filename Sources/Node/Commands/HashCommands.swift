// HashCommands: the hash family's command table. Each Hash*.swift file lists
// its specs — Redis 7.0 arity, flags, key positions, ACL categories — next to
// its handlers; this file joins them and holds what they share.
//
// Invariants: every handler validates all of its arguments before mutating;
// a hash is never left empty in the keyspace (Database.update deletes it).

import RESP
import Keyspace

/// The hash commands: HSET … HSCAN.
func hashCommands() -> [CommandSpec] {
    hashFieldCommands() + hashWholeCommands() + hashIncrementCommands() + hashRandomFieldCommands() + hashScanCommands()
}

/// ACL categories shared by the hash specs.
enum HashCategories {
    static let writeFast = ["@write", "@hash", "@fast"]
    static let readFast = ["@read", "@hash", "@fast"]
    static let readSlow = ["@read", "@hash", "@slow"]
}
