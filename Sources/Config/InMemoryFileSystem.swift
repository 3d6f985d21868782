// InMemoryFileSystem: a `FileAccess` backed by a dictionary, for tests of
// this module and of the modules that load configuration (no disk needed).
// Thread-safe (a Mutex guards the state), so it is Sendable and can be shared
// with code running on other threads. Paths are normalised on every access.
// Globbing supports wildcards in the last path component only.

import Synchronization

/// An in-memory file system implementing `FileAccess`.
public final class InMemoryFileSystem: Sendable {
    private struct State {
        var files: [String: String]
        var standardInput: String?
        var writeFailure: String?
        var writeCount = 0
    }

    private let state: Mutex<State>
    /// The working directory reported to the loader (absolute).
    public let workingDirectory: String

    /// Creates a file system holding `files` (absolute paths → contents).
    /// `standardInput` nil makes reading stdin fail.
    public init(files: [String: String] = [:], workingDirectory: String = "/", standardInput: String? = nil) {
        var normalized: [String: String] = [:]
        for (path, text) in files { normalized[ConfigPath.absolute(path, relativeTo: workingDirectory)] = text }
        self.workingDirectory = ConfigPath.normalize(workingDirectory)
        self.state = Mutex(State(files: normalized, standardInput: standardInput))
    }

    /// The contents of `path`, or nil when absent.
    public func contents(of path: String) -> String? {
        let key = ConfigPath.absolute(path, relativeTo: workingDirectory)
        return state.withLock { $0.files[key] }
    }

    /// Creates or replaces a file.
    public func write(_ path: String, _ contents: String) {
        let key = ConfigPath.absolute(path, relativeTo: workingDirectory)
        state.withLock { $0.files[key] = contents }
    }

    /// Deletes a file.
    public func remove(_ path: String) {
        let key = ConfigPath.absolute(path, relativeTo: workingDirectory)
        _ = state.withLock { $0.files.removeValue(forKey: key) }
    }

    /// Makes every later `writeAtomically` fail with `message` (nil: succeed).
    public func failWrites(with message: String?) {
        state.withLock { $0.writeFailure = message }
    }

    /// How many atomic writes succeeded.
    public var successfulWrites: Int { state.withLock { $0.writeCount } }

    /// This file system as a `FileAccess`.
    public var access: FileAccess {
        FileAccess(
            readFile: { (path: String) throws(FileAccessError) -> String in
                let key = ConfigPath.absolute(path, relativeTo: self.workingDirectory)
                guard let text = self.state.withLock({ $0.files[key] }) else {
                    throw FileAccessError(isNotFound: true, message: "No such file or directory")
                }
                return text
            },
            readStandardInput: { () throws(FileAccessError) -> String in
                guard let text = self.state.withLock({ $0.standardInput }) else {
                    throw FileAccessError(message: "Bad file descriptor")
                }
                return text
            },
            writeAtomically: { (path: String, contents: String) throws(FileAccessError) in
                let key = ConfigPath.absolute(path, relativeTo: self.workingDirectory)
                let failure: String? = self.state.withLock { s in
                    if let failure = s.writeFailure { return failure }
                    s.files[key] = contents
                    s.writeCount += 1
                    return nil
                }
                if let failure { throw FileAccessError(message: failure) }
            },
            glob: { pattern in
                let abs = ConfigPath.absolute(pattern, relativeTo: self.workingDirectory)
                let dir = ConfigPath.directory(of: abs)
                let namePattern = ConfigPath.lastComponent(of: abs)
                let paths = self.state.withLock { Array($0.files.keys) }
                return paths.filter { path in
                    ConfigPath.directory(of: path) == dir
                        && GlobPattern.matches(namePattern, ConfigPath.lastComponent(of: path))
                }.sorted()
            },
            currentDirectory: { self.workingDirectory })
    }
}
