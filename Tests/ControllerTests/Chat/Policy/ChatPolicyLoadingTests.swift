import Foundation
import Testing
@testable import StewardController

/// Reading `policy.yaml` from disk: absent, empty, valid, unreadable.
@Suite struct ChatPolicyLoadingTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chat-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ data: Data, to name: String = "policy.yaml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    @Test func absentFileDeniesEverythingButHelpAndWhoami() throws {
        let policy = try ChatPolicy.load(path: directory.appendingPathComponent("missing.yaml").path)
        #expect(policy == .denyAll)
        let ask = { (permission: String) in
            policy.decide(.init(identity: ChatPolicyFixtures.admin, room: "terminal:local", permission: permission, targets: [ChatPolicyFixtures.web1]))
        }
        #expect(ask("help") == .allow)
        #expect(ask("whoami") == .allow)
        #expect(ask("ping") == .deny(reason: "terminal:admin (no roles) may not run ping on web-01"))
        #expect(ask("reboot").isDenied)
        #expect(policy.permittedCommands(for: ChatPolicyFixtures.admin, room: "terminal:local") == ["help", "whoami"])
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func emptyOrCommentOnlyFileIsDenyAll() throws {
        #expect(try ChatPolicy.load(path: write(Data()))  == .denyAll)
        #expect(try ChatPolicy.parse(yaml: "# nobody yet\n") == .denyAll)
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func loadsAValidFileFromDisk() throws {
        let policy = try ChatPolicy.load(path: write(Data(ChatPolicyFixtures.yaml.utf8)))
        #expect(policy == (try ChatPolicyFixtures.policy()))
        #expect(policy.identities.count == 5)
        #expect(policy.roles(of: ChatPolicyFixtures.bob) == ["viewer"])
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func numericUserIDsAreTakenLiterally() throws {
        let policy = try ChatPolicy.parse(yaml: "identities: [{platform: telegram, user: 0042, roles: [a]}]\nroles: {a: {}}\n")
        #expect(policy.roles(of: .init(platform: "telegram", userID: "0042")) == ["a"])
        #expect(policy.roles(of: .init(platform: "telegram", userID: "42")) == [])
    }

    @Test func invalidFileOnDiskIsRefusedWithItsPath() throws {
        let path = try write(Data("roles:\n  a: {inherits: [a]}\n".utf8))
        #expect { try ChatPolicy.load(path: path) } throws: { error in
            (error as? PolicyFileError).map { $0.code == .inheritanceCycle && $0.path == path && $0.line == 2 } ?? false
        }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func nonUTF8FileIsUnreadable() throws {
        let path = try write(Data([0x72, 0x6F, 0xFF, 0xFE, 0x3A]))
        #expect { try ChatPolicy.load(path: path) } throws: { ($0 as? PolicyFileError)?.code == .unreadable }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func oversizedFileIsUnreadable() throws {
        let path = try write(Data(repeating: UInt8(ascii: "#"), count: ChatPolicy.maxFileSize + 1))
        #expect { try ChatPolicy.load(path: path) } throws: { ($0 as? PolicyFileError)?.code == .unreadable }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func directoryIsUnreadable() throws {
        #expect { try ChatPolicy.load(path: directory.path) } throws: { ($0 as? PolicyFileError)?.code == .unreadable }
        try? FileManager.default.removeItem(at: directory)
    }
}
