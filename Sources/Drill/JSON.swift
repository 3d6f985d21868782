// JSON.swift — the drill's name for the shared JSON writer (CLI's JSONValue).

import CLI

/// A JSON document (see CLI/JSONValue.swift).
public typealias JSON = JSONValue
