// The default FileAccess against the real file system, in a private temp
// directory: atomic replace keeps permissions and leaves no temp files; a
// full load → CONFIG SET → REWRITE → reload cycle works on disk.

import Glibc
import Testing
@testable import Config

@Suite struct SystemFileAccessTests {
    /// A fresh directory under /tmp, removed by the caller.
    static func makeTempDirectory() throws -> String {
        var template = Array("/tmp/vigil-config-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.flatMap { mkdtemp($0) } != nil }
        try #require(made)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func removeTree(_ dir: String) {
        for name in SystemFiles.glob(dir + "/*") { unlink(name) }
        rmdir(dir)
    }

    @Test func atomicWriteReplacesTheFileAndKeepsItsMode() throws {
        let dir = try SystemFileAccessTests.makeTempDirectory()
        defer { SystemFileAccessTests.removeTree(dir) }
        let path = dir + "/node.conf"
        let fs = FileAccess.system
        try fs.writeAtomically(path, "port 1\n")
        chmod(path, 0o600)
        try fs.writeAtomically(path, "port 2\n")
        #expect(try fs.readFile(path) == "port 2\n")
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(fs.glob(dir + "/*") == [path])
        #expect(throws: FileAccessError.self) { try fs.readFile(dir + "/missing.conf") }
        #expect(fs.glob(dir + "/*.nothing").isEmpty)
    }

    @Test func loadSetRewriteReloadOnDisk() throws {
        let dir = try SystemFileAccessTests.makeTempDirectory()
        defer { SystemFileAccessTests.removeTree(dir) }
        let path = dir + "/node.conf"
        try FileAccess.system.writeAtomically(path, "# mine\nport 7000\ninclude " + dir + "/*.inc\n")
        try FileAccess.system.writeAtomically(dir + "/a.inc", "timeout 3\n")
        var c = try ConfigStore.load(path: path, overrides: [], mode: .server)
        #expect(c.timeout == 3)
        try c.set([("port", "7001")])
        try c.rewrite()
        let reloaded = try ConfigStore.load(path: path, overrides: [], mode: .server)
        #expect(reloaded.port == 7001)
        #expect(try FileAccess.system.readFile(path) == "# mine\nport 7001\ninclude " + dir + "/*.inc\n")
    }
}
