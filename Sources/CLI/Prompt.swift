// Prompt.swift — the interactive prompt text, as redis-cli builds it:
// "host:port" ("[v6addr]:port" when the host contains ':'), then "[db]" when
// the database is not 0, then "(TX)" inside MULTI, then "> ". When there is
// no connection the prompt is "not connected> ".

/// The prompt for a connected session.
public func promptText(host: String, port: Int, database: Int, inTransaction: Bool) -> String {
    var text = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    if database != 0 { text += "[\(database)]" }
    if inTransaction { text += "(TX)" }
    return text + "> "
}

/// The prompt while disconnected.
public let disconnectedPrompt = "not connected> "
