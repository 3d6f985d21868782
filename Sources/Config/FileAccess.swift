// FileAccess: the only door from the Config module to the outside world.
// Loading reads files, standard input, the working directory and glob
// matches through these closures; CONFIG REWRITE writes through
// `writeAtomically`. Tests pass an `InMemoryFileSystem`; the server passes
// `.system` (SystemFileAccess.swift).
// Invariant: `writeAtomically` either replaces the whole file or leaves the
// old one untouched (temp file + fsync + rename).

/// Why a file operation failed (an errno message such as
/// "No such file or directory").
public struct FileAccessError: Error, Equatable, Sendable {
    /// True for ENOENT: the file does not exist.
    public var isNotFound: Bool
    /// A human-readable reason (`strerror` text).
    public var message: String

    public init(isNotFound: Bool = false, message: String) {
        self.isNotFound = isNotFound
        self.message = message
    }
}

/// Injected file system operations used by loading and CONFIG REWRITE.
public struct FileAccess: Sendable {
    /// Reads a whole text file by absolute path.
    public var readFile: @Sendable (_ path: String) throws(FileAccessError) -> String
    /// Reads standard input to its end (`vigil-server -`).
    public var readStandardInput: @Sendable () throws(FileAccessError) -> String
    /// Replaces a file atomically: temp file, fsync, rename (and directory fsync).
    public var writeAtomically: @Sendable (_ path: String, _ contents: String) throws(FileAccessError) -> Void
    /// Absolute paths matching a glob pattern (absolute), sorted; empty when none.
    public var glob: @Sendable (_ pattern: String) -> [String]
    /// The process's current working directory (absolute).
    public var currentDirectory: @Sendable () -> String

    public init(
        readFile: @escaping @Sendable (_ path: String) throws(FileAccessError) -> String,
        readStandardInput: @escaping @Sendable () throws(FileAccessError) -> String,
        writeAtomically: @escaping @Sendable (_ path: String, _ contents: String) throws(FileAccessError) -> Void,
        glob: @escaping @Sendable (_ pattern: String) -> [String],
        currentDirectory: @escaping @Sendable () -> String
    ) {
        self.readFile = readFile
        self.readStandardInput = readStandardInput
        self.writeAtomically = writeAtomically
        self.glob = glob
        self.currentDirectory = currentDirectory
    }
}
