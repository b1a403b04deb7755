import Foundation

/// File helpers for the PKI tests.
enum PKITestFiles {
    /// A fresh scratch directory; pair with `defer { PKITestFiles.removeTree(path) }`.
    static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "steward-pki-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Permission bits of a path, for mode assertions.
    static func permissions(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int) ?? -1
    }
}
