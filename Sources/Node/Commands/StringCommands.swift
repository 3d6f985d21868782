// The string command family: the table of every string command, assembled
// from the files that implement them (StringGetCommands, StringSetCommands,
// StringCounterCommands, StringRangeCommands, StringLCS).

/// Every string command (Redis 7.0's @string group except the bit commands).
func stringCommands() -> [CommandSpec] {
    stringGetCommands() + stringSetCommands() + stringCounterCommands() + stringRangeCommands()
        + stringLCSCommands()
}
