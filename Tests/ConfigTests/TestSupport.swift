// Helpers shared by the Config tests: an in-memory file system with a main
// config file, and a loader shortcut that returns the store or the error.

import Config

/// Where test configs live.
let mainPath = "/etc/vigil/node.conf"

/// Builds an in-memory file system: `main` at `mainPath` plus `others`.
func fileSystem(main: String? = nil, _ others: [String: String] = [:], cwd: String = "/work",
                stdin: String? = nil) -> InMemoryFileSystem {
    var files = others
    if let main { files[mainPath] = main }
    return InMemoryFileSystem(files: files, workingDirectory: cwd, standardInput: stdin)
}

/// Loads `main` (at `mainPath`) with the given overrides.
func load(_ main: String, _ others: [String: String] = [:], overrides: [String] = [],
          mode: ConfigMode = .server) throws(ConfigError) -> ConfigStore {
    let fs = fileSystem(main: main, others)
    return try ConfigStore.load(path: mainPath, overrides: overrides, mode: mode, files: fs.access)
}

/// The error loading `main` produces, or nil when it loads.
func loadError(_ main: String, _ others: [String: String] = [:], overrides: [String] = [],
               mode: ConfigMode = .server) -> ConfigError? {
    do {
        _ = try load(main, others, overrides: overrides, mode: mode)
        return nil
    } catch {
        return error
    }
}

/// CONFIG GET of one exact name.
func get(_ store: ConfigStore, _ name: String) -> String? {
    store.get(pattern: name).first?.value
}
