import Testing

@testable import StewardController

/// When a message is for the bot, and what command text remains.
@Suite struct ChatAddressingTests {
    static let inRoom: [(String, String?)] = [
        ("@steward metrics all", "metrics all"),
        ("@Steward: metrics all", "metrics all"),
        ("@STEWARD, help", "help"),
        ("steward: help", "help"),
        ("Steward, restart nginx on web-1", "restart nginx on web-1"),
        ("  @steward   help  ", "help"),
        ("@steward", ""),
        ("steward:", ""),
        ("<@U123> metrics all", "metrics all"),
        ("<@U123>: metrics all", "metrics all"),
        ("<@U123>metrics", "metrics"),
        ("@steward:example.org ping all", "ping all"),
        ("@steward:example.org: ping all", "ping all"),
        ("!metrics all", "metrics all"),
        ("  !help", "help"),
        ("!", nil),
        ("! metrics", nil),
        ("!!!", nil),
        ("steward help", nil),
        ("@stewardess help", nil),
        ("ask @steward later", nil),
        ("<@U999> metrics", nil),
        ("hello there", nil),
        ("", nil),
    ]

    @Test(arguments: inRoom)
    func extractsCommandsAddressedInARoom(text: String, expected: String?) {
        let command = ChatAddressing.extract(
            text: text, botNames: ["steward"], mentionForms: ["<@U123>", "@steward:example.org"], prefix: "!",
            isDirectMessage: false)
        #expect(command == expected)
    }

    static let inDirectMessage: [(String, String)] = [
        ("metrics all", "metrics all"),
        ("  help \n", "help"),
        ("@steward help", "help"),
        ("!help", "help"),
        ("<@U123> whoami", "whoami"),
        ("", ""),
    ]

    @Test(arguments: inDirectMessage)
    func directMessagesAreAlwaysForTheBot(text: String, expected: String) {
        let command = ChatAddressing.extract(
            text: text, botNames: ["steward"], mentionForms: ["<@U123>"], prefix: "!", isDirectMessage: true)
        #expect(command == expected)
    }

    @Test func emptyPrefixDisablesPrefixAddressing() {
        #expect(ChatAddressing.extract(text: "!help", botNames: ["steward"], mentionForms: [], prefix: "", isDirectMessage: false) == nil)
        #expect(ChatAddressing.extract(text: "!help", botNames: [], mentionForms: [], prefix: "!", isDirectMessage: false) == "help")
        #expect(ChatAddressing.extract(text: ".help", botNames: [], mentionForms: [], prefix: ".", isDirectMessage: false) == "help")
    }

    @Test func emptyNamesAndFormsNeverMatchEverything() {
        #expect(ChatAddressing.extract(text: "hello", botNames: [""], mentionForms: [""], prefix: "!", isDirectMessage: false) == nil)
        #expect(ChatAddressing.extract(text: "@ hello", botNames: [""], mentionForms: [], prefix: "!", isDirectMessage: false) == nil)
    }

    @Test func extractedTextParses() throws {
        let text = try #require(
            ChatAddressing.extract(text: "<@U123> restart nginx on web-*", botNames: [], mentionForms: ["<@U123>"], isDirectMessage: false))
        #expect(try ChatCommandParser().parse(text) == .job(action: .service(operation: .restart, unit: "nginx"), target: .glob("web-*"), options: JobOptions()))
    }
}
