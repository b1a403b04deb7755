#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

@testable import StewardProtocol

@Suite struct SecureFileTests {
    static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "steward-securefile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func entries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func writesPrivateFileAndReadsItBack() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let path = directory + "/key.pem"
        try SecureFile.write(Array("secret".utf8), to: path)
        #expect(try SecureFile.read(path) == Array("secret".utf8))
        #expect(try SecureFile.permissions(of: path) == 0o600)
    }

    @Test func honoursExplicitModeDespiteUmask() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let previous = umask(0o077)
        defer { umask(previous) }
        try SecureFile.write([1, 2, 3], to: directory + "/ca.crt", mode: 0o644)
        #expect(try SecureFile.permissions(of: directory + "/ca.crt") == 0o644)
    }

    @Test func overwriteReplacesContentAndLeavesNoTemporaryFiles() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let path = directory + "/state"
        try SecureFile.write(Array(repeating: 7, count: 100_000), to: path)
        try SecureFile.write([9], to: path)
        #expect(try SecureFile.read(path) == [9])
        #expect(Self.entries(of: directory) == ["state"])
    }

    @Test func writeIntoMissingDirectoryFailsWithoutLitter() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let error = #expect(throws: SecureFileError.self) {
            try SecureFile.write([1], to: directory + "/missing/file")
        }
        #expect(error?.code == .openFailed)
        #expect(error?.errno == ENOENT)
    }

    @Test func readReportsMissingAndOversizedFiles() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let missing = #expect(throws: SecureFileError.self) { try SecureFile.read(directory + "/nope") }
        #expect(missing?.code == .notFound)
        try SecureFile.write(Array(repeating: 1, count: 1025), to: directory + "/big")
        let tooLarge = #expect(throws: SecureFileError.self) { try SecureFile.read(directory + "/big", maxSize: 1024) }
        #expect(tooLarge?.code == .tooLarge)
        #expect(try SecureFile.read(directory + "/big", maxSize: 1025).count == 1025)
    }

    @Test func ensurePrivateDirectoryCreatesNestedDirectoryWithMode0700() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let nested = directory + "/a/b/c"
        try SecureFile.ensurePrivateDirectory(nested)
        #expect(try SecureFile.permissions(of: nested) == 0o700)
        // Idempotent.
        try SecureFile.ensurePrivateDirectory(nested)
        #expect(try SecureFile.permissions(of: nested) == 0o700)
    }

    @Test func ensurePrivateDirectoryTightensAnOpenDirectory() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        let open = directory + "/open"
        #expect(mkdir(open, 0o777) == 0)
        #expect(chmod(open, 0o777) == 0)
        try SecureFile.ensurePrivateDirectory(open)
        #expect(try SecureFile.permissions(of: open) == 0o700)
    }

    @Test(arguments: ["", "/", ".", "./..", "//"])
    func ensurePrivateDirectoryRefusesRootAndEmptyPaths(path: String) {
        let error = #expect(throws: SecureFileError.self) { try SecureFile.ensurePrivateDirectory(path) }
        #expect(error?.code == .createDirectoryFailed)
        #expect(error?.errno == EINVAL)
    }

    @Test func ensurePrivateDirectoryRefusesAFile() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { Self.removeTree(directory) }
        try SecureFile.write([1], to: directory + "/file")
        let error = #expect(throws: SecureFileError.self) { try SecureFile.ensurePrivateDirectory(directory + "/file") }
        #expect(error?.code == .notADirectory)
    }
}
