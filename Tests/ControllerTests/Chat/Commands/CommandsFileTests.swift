import Foundation
import Testing

@testable import StewardController

/// Strict loading of `commands.yaml`: every mistake names the line, and nothing loads half-way.
@Suite struct CommandsFileTests {
    static func alias(_ body: String, name: String = "deploy") -> String {
        "commands:\n  \(name):\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }

    static let good = """
        pattern: "deploy {app}"
        params:
          app: {type: enum, values: [api, web]}
        action: {exec: deploy, args: ["{app}"]}
        target: "role={app}"
        """

    /// (file text, code, line, text expected in the description)
    static let broken: [(String, CommandsFileError.Code, Int?, String)] = [
        ("aliases: {}", .unknownKey, 1, "unknown key (expected one of: commands)"),
        ("commands: [deploy]", .wrongType, 1, "expected a mapping, found a list"),
        (alias(good.replacingOccurrences(of: "pattern:", with: "patern:")), .unknownKey, 3, "commands.deploy.patern: unknown key"),
        (alias(good.replacingOccurrences(of: "type: enum", with: "type: bool")), .invalidValue, 5, #"unknown type "bool""#),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: int, values: [1]}")), .unknownKey, 5, "does not apply to type int"),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: int, min: ten}")), .wrongType, 5, "expected a decimal integer"),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: int, min: 5, max: 1}")), .invalidValue, 5, "min 5 is above max 1"),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: enum}")), .missingKey, 5, "an enum needs `values`"),
        (alias(good.replacingOccurrences(of: "[api, web]", with: "[api, API]")), .invalidValue, 5, #""API" is listed twice"#),
        (alias(good.replacingOccurrences(of: "[api, web]", with: "[api, 'a,b']")), .invalidValue, 5, "values use letters"),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: string, pattern: '[a-'}")), .invalidValue, 5, "not a valid regular expression"),
        (alias(good.replacingOccurrences(of: "{type: enum, values: [api, web]}", with: "{type: string, max_length: 0}")), .invalidValue, 5, "out of range 1...1024"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "deploy {app} {env}\"")), .invalidTemplate, 3, "`{env}` has no entry under params"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "deploy now\"")), .invalidTemplate, 5, "declared but not used in the pattern"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "{app} deploy\"")), .invalidTemplate, 3, "starts with a fixed word"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "deploy x{app}\"")), .invalidTemplate, 3, "a parameter is a whole word"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "deploy {app} {app}\"")), .invalidTemplate, 3, "appears twice"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "deploy; {app}\"")), .invalidTemplate, 3, "pattern words use letters"),
        (alias(good.replacingOccurrences(of: "deploy {app}\"", with: "restart {app}\"")), .shadowsBuiltin, 3, "`restart` is a built-in command"),
        (alias(good, name: "metrics"), .shadowsBuiltin, 2, "`metrics` is a built-in command"),
        (alias(good, name: "Deploy!"), .invalidValue, 2, "command names use lower-case letters"),
        (alias(good.replacingOccurrences(of: "[\"{app}\"]", with: "[\"{ap}\"]")), .invalidTemplate, 6, "`{ap}` is not a parameter of the pattern"),
        (alias(good.replacingOccurrences(of: "[\"{app}\"]", with: "[\"{app\"]")), .invalidTemplate, 6, "braces must enclose a parameter name"),
        (alias(good.replacingOccurrences(of: "exec: deploy", with: "exec: ../deploy")), .invalidValue, 6, "is not a command name"),
        (alias(good.replacingOccurrences(of: "{exec: deploy, args: [\"{app}\"]}", with: "shutdown")), .invalidValue, 6, "is not an action"),
        (alias(good.replacingOccurrences(of: "{exec: deploy, args: [\"{app}\"]}", with: "{service: reload, unit: x}")), .invalidValue, 6, "is not one of status, start, stop, restart"),
        (alias(good.replacingOccurrences(of: "{exec: deploy, args: [\"{app}\"]}", with: "{service: restart}")), .missingKey, 6, "missing required key `unit`"),
        (alias(good.replacingOccurrences(of: "{exec: deploy, args: [\"{app}\"]}", with: "{exec: deploy, unit: x}")), .unknownKey, 6, "an exec action takes only exec and args"),
        (alias(good.replacingOccurrences(of: "{exec: deploy, args: [\"{app}\"]}", with: "{args: [x]}")), .missingKey, 6, "needs `exec` or `service`"),
        (alias(good.replacingOccurrences(of: "args: [\"{app}\"]", with: "args: \"{app}\"")), .wrongType, 6, "expected a list"),
        (alias(good.replacingOccurrences(of: "role={app}", with: "role={app}=x")), .invalidTemplate, 7, "not a selector template"),
        (alias(good.replacingOccurrences(of: "\ntarget: \"role={app}\"", with: "")), .missingKey, 3, "missing required key `target`"),
        (alias(good + "\nhelp: [a]"), .wrongType, 8, "expected a string, found a list"),
        (alias(good + "\nparams: {}"), .syntax, 4, "duplicate key(s) params"),
        ("commands:\n  deploy:\n    pattern: \"a\n  x: [", .syntax, 4, "found unexpected end of stream"),
        ("commands:\n  a:\n   b: 1\n  c: 2\n - d", .syntax, 5, "did not find expected key"),
    ]

    @Test(arguments: broken)
    func refusesBrokenFileWithLineAndReason(text: String, code: CommandsFileError.Code, line: Int?, reason: String) throws {
        do {
            let aliases = try CommandsFile.parse(text, path: "commands.yaml")
            Issue.record("loaded \(aliases.count) aliases from:\n\(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            if let line { #expect(error.line == line, "\(error)") }
            #expect(error.description.hasPrefix("commands.yaml:"))
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func scalarTargetsAreTakenLiterally() throws {
        // A plain `5` is an integer to YAML but a valid host name here: scalars are read as their text.
        let aliases = try CommandsFile.parse(Self.alias(Self.good.replacingOccurrences(of: "target: \"role={app}\"", with: "target: 5")))
        #expect(aliases.first?.target == "5")
    }

    @Test func oneBadAliasRefusesTheWholeFile() throws {
        let text = Self.alias(Self.good) + "\n  other:\n    pattern: other\n    action: launch\n    target: all"
        #expect(throws: CommandsFileError.self) { try CommandsFile.parse(text) }
    }

    @Test func duplicatePatternShapesAreRefused() throws {
        let text = Self.alias(Self.good) + "\n" + Self.alias(Self.good.replacingOccurrences(of: "{app}", with: "{x}").replacingOccurrences(of: "app:", with: "x:"), name: "again")
            .replacingOccurrences(of: "commands:\n", with: "")
        do {
            _ = try CommandsFile.parse(text)
            Issue.record("duplicate shapes loaded")
        } catch {
            #expect(error.code == .duplicate)
            #expect(error.line == 8)
            #expect(error.reason.contains("`deploy`"))
        }
    }

    @Test func emptyDocumentsHaveNoAliases() throws {
        #expect(try CommandsFile.parse("").isEmpty)
        #expect(try CommandsFile.parse("# nothing yet\n").isEmpty)
        #expect(try CommandsFile.parse("commands:\n").isEmpty)
        #expect(try CommandsFile.parse("commands: {}").isEmpty)
    }

    @Test func loadsFromDiskAndTreatsAMissingFileAsNone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("commands.yaml").path
        #expect(try CommandsFile.load(path: path).isEmpty)

        try CommandAliasFixtures.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CommandsFile.load(path: path).count == 7)

        try Data(repeating: 0x20, count: CommandsFile.maxFileSize + 1).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CommandsFile.load(path: path)
            Issue.record("an oversized file loaded")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.path == path)
        }

        try Data([0x63, 0x3A, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        #expect { try CommandsFile.load(path: path) } throws: { ($0 as? CommandsFileError)?.code == .unreadable }
    }
}
