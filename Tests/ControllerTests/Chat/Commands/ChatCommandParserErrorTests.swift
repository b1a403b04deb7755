import Testing

@testable import StewardController

/// The error thrown for `text`, or nil when it parses.
func chatParseError(_ text: String, parser: ChatCommandParser = ChatCommandParser()) -> ChatParseError? {
    do {
        _ = try parser.parse(text)
        return nil
    } catch {
        return error
    }
}

/// Typos, bad arguments and bad options: each answer carries a code, and the usage line or a suggestion.
@Suite struct ChatCommandParserErrorTests {
    static let typos: [(String, String?)] = [
        ("metircs all", "metrics"),
        ("restat nginx on web-1", "restart"),
        ("hepl", "help"),
        ("agnets", "agents"),
        ("MERTICS all", "metrics"),
        ("rebot db-1", "reboot"),
        ("histroy web-1", "history"),
        ("whomai", "whoami"),
        ("frobnicate all", nil),
        ("ok", nil),
        ("deploy api", nil),
    ]

    @Test(arguments: typos)
    func unknownVerbSuggestsTheClosest(text: String, suggestion: String?) throws {
        let error = try #require(chatParseError(text))
        #expect(error.code == .unknownCommand)
        #expect(error.suggestion == suggestion)
        #expect(error.offset == 0)
        if let suggestion {
            #expect(error.description.contains("did you mean `\(suggestion)`?"))
        } else {
            #expect(error.description.contains("`help` lists the commands"))
        }
    }

    @Test func helpWithUnknownTopicSuggests() throws {
        let error = try #require(chatParseError("help metircs"))
        #expect(error.code == .unknownCommand)
        #expect(error.suggestion == "metrics")
        #expect(error.offset == 5)
    }

    static let badArguments: [(String, String)] = [
        ("metrics", "metrics SELECTOR [OPTIONS]"),
        ("metrics web;rm", "metrics SELECTOR [OPTIONS]"),
        ("metrics web-1 web-2", "metrics SELECTOR [OPTIONS]"),
        ("ping a,,b", "ping SELECTOR [OPTIONS]"),
        ("reboot", "reboot SELECTOR [OPTIONS]"),
        ("restart", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("restart nginx", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("restart nginx web-1", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("restart nginx on", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("restart on web-1", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("restart -rf on web-1", "restart SERVICE on SELECTOR [OPTIONS]"),
        ("stop 'a b' on web-1", "stop SERVICE on SELECTOR [OPTIONS]"),
        ("status nginx \"on\" web-1", "status SERVICE on SELECTOR [OPTIONS]"),
        ("run", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("run on web-1", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("run uptime", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("run uptime on", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("run ../bin/sh on web-1", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("run -x on web-1", "run NAME [ARGS...] on SELECTOR [OPTIONS]"),
        ("history", "history HOST [N]"),
        ("history web-*", "history HOST [N]"),
        ("history web-1 0", "history HOST [N]"),
        ("history web-1 101", "history HOST [N]"),
        ("history web-1 ten", "history HOST [N]"),
        ("history web-1 5 6", "history HOST [N]"),
        ("job", "job ID"),
        ("job 01J-5", "job ID"),
        ("job 01J5ABCDEFGHJKMNPQRSTVWXYZ0", "job ID"),
        ("cancel a b", "cancel ID"),
        ("approve", "approve ID"),
        ("whoami please", "whoami"),
        ("yes please", "yes"),
        ("help me please", "help [COMMAND]"),
        ("agents a b", "agents [SELECTOR]"),
    ]

    @Test(arguments: badArguments)
    func badArgumentsShowTheUsageLine(text: String, usage: String) throws {
        let error = try #require(chatParseError(text))
        #expect(error.code == .badArguments)
        #expect(error.usage == usage)
        #expect(error.description.hasSuffix("\nusage: `\(usage)`"))
    }

    static let badOptions: [(String, String?)] = [
        ("metrics all --batch", nil),
        ("metrics all --batch --dry-run", nil),
        ("metrics all --batch 0", nil),
        ("metrics all --batch 150%", nil),
        ("metrics all --batch -3", nil),
        ("metrics all --max-errors lots", nil),
        ("metrics all --timeout 5x", nil),
        ("metrics all --timeout 48h", nil),
        ("metrics all --timeout 0s", nil),
        ("metrics all --timeout 30", nil),
        ("metrics all --dryrun", "--dry-run"),
        ("metrics all --bacth 5", "--batch"),
        ("metrics all --force", nil),
        ("metrics all --dry-run --dry-run", nil),
        ("metrics all --batch 1 --batch=2", nil),
        ("metrics all --dry-run=yes", nil),
        ("history web-1 --dry-run", nil),
        ("job 01J --batch 5", nil),
        ("run grep --count x on web-1", nil),
    ]

    @Test(arguments: badOptions)
    func badOptionsAreRefused(text: String, suggestion: String?) throws {
        let error = try #require(chatParseError(text))
        #expect(error.code == .badOption)
        #expect(error.suggestion == suggestion)
        #expect(error.usage != nil)
        #expect(error.offset != nil)
    }

    @Test func optionBeforeTheVerbIsAnUnknownCommand() throws {
        let error = try #require(chatParseError("--dry-run metrics all"))
        #expect(error.code == .unknownCommand)
    }

    @Test func emptyCommandPointsAtHelp() throws {
        for text in ["", "   ", "\n\t"] {
            let error = try #require(chatParseError(text))
            #expect(error.code == .empty)
            #expect(error.usage == "help")
        }
    }

    @Test func offsetsPointAtTheOffendingWord() throws {
        #expect(chatParseError("history web-1 ten")?.offset == 14)
        #expect(chatParseError("metrics all --force")?.offset == 12)
        #expect(chatParseError("restart nginx web-1")?.offset == 14)
    }

    @Test func suggestionDistanceIsDamerauLevenshtein() {
        #expect(ChatSuggestion.distance("metircs", "metrics") == 1)
        #expect(ChatSuggestion.distance("kitten", "sitting") == 3)
        #expect(ChatSuggestion.distance("", "abc") == 3)
        #expect(ChatSuggestion.distance("ca", "abc") == 3)
        #expect(ChatSuggestion.distance("same", "same") == 0)
        #expect(ChatSuggestion.closest(to: "rn", among: ["run", "reboot"]) == "run")
        #expect(ChatSuggestion.closest(to: "resatrt", among: ["restart", "start"]) == "restart")
        #expect(ChatSuggestion.closest(to: "xyzzyx", among: ["restart", "start"]) == nil)
        #expect(ChatSuggestion.closest(to: String(repeating: "a", count: 500), among: ["agents"]) == nil)
    }
}
