// SystemFileAccess: `FileAccess.system`, the real file system through Glibc.
//
// writeAtomically (what CONFIG REWRITE relies on):
//   1. create "<path>.tmp-XXXXXX" next to the target with mkstemp (same
//      file system, so rename is atomic);
//   2. write everything, retrying on EINTR and short writes;
//   3. fsync the temp file; give it the old file's permission bits
//      (0644 when the file is new);
//   4. rename over the target, then fsync the directory so the rename itself
//      survives a crash;
//   on any failure the temp file is unlinked and the old file is untouched.

import Glibc

extension FileAccess {
    /// The real file system.
    public static let system = FileAccess(
        readFile: { (path: String) throws(FileAccessError) -> String in try SystemFiles.read(path: path) },
        readStandardInput: { () throws(FileAccessError) -> String in try SystemFiles.readAll(fd: 0) },
        writeAtomically: { (path: String, contents: String) throws(FileAccessError) in
            try SystemFiles.writeAtomically(path: path, contents: contents)
        },
        glob: { SystemFiles.glob($0) },
        currentDirectory: { SystemFiles.currentDirectory() })
}

/// Glibc implementations behind `FileAccess.system`.
enum SystemFiles {
    static func error(_ code: Int32) -> FileAccessError {
        FileAccessError(isNotFound: code == ENOENT, message: String(cString: strerror(code)))
    }

    static func read(path: String) throws(FileAccessError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw error(errno) }
        defer { close(fd) }
        return try readAll(fd: fd)
    }

    static func readAll(fd: Int32) throws(FileAccessError) -> String {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { buf in Glibc.read(fd, buf.baseAddress, buf.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(errno)
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func writeAtomically(path: String, contents: String) throws(FileAccessError) {
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return mkstemp(base)
        }
        if fd < 0 { throw error(errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // mkostemp filled in the X's; drop the NUL terminator.
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(tempPath) }
        }
        let bytes = Array(contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                write(fd, buf.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(errno)
            }
            if n == 0 { throw FileAccessError(message: "short write") }
            offset += n
        }
        if fsync(fd) != 0 { throw error(errno) }
        var st = stat()
        let mode: mode_t = stat(path, &st) == 0 ? (st.st_mode & 0o7777) : 0o644
        if fchmod(fd, mode) != 0 { throw error(errno) }
        if rename(tempPath, path) != 0 { throw error(errno) }
        ok = true
        // Make the rename durable; a failure here does not undo the rewrite.
        let dir = ConfigPath.directory(of: path)
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out
    }

    static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let ok = buf.withUnsafeMutableBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            return getcwd(base, b.count) != nil
        }
        guard ok else { return "/" }
        return buf.withUnsafeBufferPointer { b in
            b.baseAddress.map { String(cString: $0) } ?? "/"
        }
    }
}
