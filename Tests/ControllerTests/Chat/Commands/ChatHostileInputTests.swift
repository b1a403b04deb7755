import Testing

@testable import StewardController

/// Input written to break things: shell syntax stays literal text, oversized or invisible input is refused.
@Suite struct ChatHostileInputTests {
    let parser = ChatCommandParser()

    @Test func shellSubstitutionStaysLiteralArguments() throws {
        let unquoted = try parser.parse("run echo $(rm -rf /) on web-1")
        #expect(unquoted == .job(action: .exec(command: "echo", arguments: ["$(rm", "-rf", "/)"]), target: .names(["web-1"]), options: JobOptions()))
        let quoted = try parser.parse(#"run echo "$(rm -rf /)" '`id`' ; && on web-1"#)
        #expect(quoted.job?.action == .exec(command: "echo", arguments: ["$(rm -rf /)", "`id`", ";", "&&"]))
    }

    static let injectedNames: [String] = [
        "run $(id) on web-1",
        "run 'echo hi' on web-1",
        "run /bin/sh on web-1",
        "restart 'nginx;reboot' on web-1",
        "restart $(reboot) on web-1",
        "metrics web-1;reboot",
        "metrics `reboot`",
        "metrics ../../etc",
        "history 'web-1;drop table jobs'",
        "job ../../etc/passwd",
        "agents role=web,env=$(id)",
    ]

    @Test(arguments: injectedNames)
    func namesWithShellSyntaxAreRefused(text: String) throws {
        let error = try #require(chatParseError(text))
        #expect(error.code == .badArguments)
    }

    @Test func fiveKibibytesAreRefusedBeforeParsing() throws {
        let text = "metrics " + String(repeating: "a", count: 5 * 1024)
        let error = try #require(chatParseError(text))
        #expect(error.code == .tooLong)
        #expect(error.message.contains("5128 bytes"))
    }

    @Test func longUnknownVerbIsEchoedShortAndWithoutBackticks() throws {
        let error = try #require(chatParseError(String(repeating: "`x", count: 1000)))
        #expect(error.code == .unknownCommand)
        #expect(!error.message.contains("`x"))
        #expect(error.message.contains("…"))
        #expect(error.message.count < 100)
    }

    @Test func controlCharactersAndDirectionOverridesAreRefused() throws {
        for text in ["metrics all\u{0}", "run x \u{1B}]0;pwned\u{7} on web-1", "restart ng\u{202E}xni on web-1", "job \u{8}\u{8}01J"] {
            let error = try #require(chatParseError(text), "\(text.debugDescription) parsed")
            #expect(error.code == .syntax)
        }
    }

    @Test func unterminatedQuotesAreSyntaxErrors() throws {
        for text in [#"run echo "abc on web-1"#, "run echo 'abc on web-1", #"run echo "a\" on web-1"#] {
            let error = try #require(chatParseError(text))
            #expect(error.code == .syntax)
            #expect(error.offset == 9)
        }
    }

    @Test func tooManyWordsAreRefused() throws {
        let sixty = Array(repeating: "a", count: 60).joined(separator: " ")
        #expect(try parser.parse("run x \(sixty) on web-1").job?.action == .exec(command: "x", arguments: Array(repeating: "a", count: 60)))
        let error = try #require(chatParseError("run x \(sixty) a on web-1"))
        #expect(error.code == .tooLong)
    }

    @Test func hugeSelectorIsRefusedBySelectorRules() throws {
        let text = "metrics " + String(repeating: "a", count: 2000)
        let error = try #require(chatParseError(text))
        #expect(error.code == .badArguments)
    }
}
