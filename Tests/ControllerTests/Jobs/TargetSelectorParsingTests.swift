import Testing
@testable import StewardController

@Suite("Target selector parsing")
struct TargetSelectorParsingTests {
    static let valid: [(String, TargetSelector)] = [
        ("all", .all),
        ("*", .all),
        ("  all  ", .all),
        ("web-1", .names(["web-1"])),
        ("Web.Example_01", .names(["Web.Example_01"])),
        ("web-1,db-1", .names(["web-1", "db-1"])),
        (" web-1 , db-1 ", .names(["web-1", "db-1"])),
        ("web-*", .glob("web-*")),
        ("db-?1", .glob("db-?1")),
        ("*-1", .glob("*-1")),
        ("**", .glob("**")),
        ("a*b*c", .glob("a*b*c")),
        ("role=web", .labels(["role": "web"])),
        ("role=web,env=prod", .labels(["role": "web", "env": "prod"])),
        (" role=web , env=prod ", .labels(["role": "web", "env": "prod"])),
    ]

    @Test(arguments: valid)
    func parsesValidSelectors(text: String, expected: TargetSelector) throws {
        #expect(try TargetSelector(parsing: text) == expected)
    }

    @Test(arguments: valid.map(\.1))
    func descriptionParsesBackToTheSameSelector(selector: TargetSelector) throws {
        #expect(try TargetSelector(parsing: selector.description) == selector)
    }

    @Test func labelDescriptionIsSortedByKey() throws {
        #expect(try TargetSelector(parsing: "zone=b,env=prod,app=x").description == "app=x,env=prod,zone=b")
    }

    static let invalid: [(String, String)] = [
        ("", "empty target selector"),
        ("   ", "empty target selector"),
        ("a,,b", "empty element"),
        ("a,", "empty element"),
        (",a", "empty element"),
        ("a, ,b", "empty element"),
        ("role=", "bad label selector"),
        ("=x", "bad label selector"),
        ("=", "bad label selector"),
        ("a=b=c", "bad label selector"),
        ("role=web,web-1", "bad label selector"),
        ("role=$(id)", "bad label selector"),
        ("ro le=web", "bad label selector"),
        ("role = web", "bad label selector"),
        ("role=web,role=db", "label 'role' given twice"),
        ("web-*,db-1", "globs cannot be mixed"),
        ("web-1,db-?", "globs cannot be mixed"),
        ("../x", "bad target '../x'"),
        ("$(id)", "bad target"),
        ("web-1;reboot", "bad target"),
        ("web 1", "bad target"),
        ("web\u{0}1", "bad target"),
        ("web-1,`id`", "bad target"),
        ("hôte", "bad target"),
        ("web/*", "bad target"),
        (String(repeating: "a", count: 254), "bad target"),
        (String(repeating: "a", count: 1025), "longer than 1024 characters"),
        (Array(repeating: "a", count: 600).joined(separator: ","), "longer than 1024 characters"),
    ]

    @Test(arguments: invalid)
    func rejectsBadSelectorsWithAReason(text: String, reason: String) {
        #expect {
            try TargetSelector(parsing: text)
        } throws: { error in
            guard let error = error as? JobRequestError else { return false }
            return error.message.contains(reason)
        }
    }

    @Test func acceptsANameOfTheMaximumLength() throws {
        let name = String(repeating: "a", count: 253)
        #expect(try TargetSelector(parsing: name) == .names([name]))
    }

    @Test func acceptsASelectorOfExactly1024Characters() throws {
        // 204 names of four characters plus 203 commas: 1019; pad the first to reach 1024.
        var names = Array(repeating: "abcd", count: 204)
        names[0] = "abcdefghi"
        let text = names.joined(separator: ",")
        #expect(text.count == 1024)
        guard case .names(let parsed) = try TargetSelector(parsing: text) else {
            Issue.record("expected a name list")
            return
        }
        #expect(parsed.count == 204)
    }
}
