import Testing
@testable import StewardController

@Suite("Target selector matching")
struct TargetSelectorMatchingTests {
    static let globs: [(String, String, Bool)] = [
        ("web-*", "web-1", true),
        ("web-*", "web-", true),
        ("web-*", "web", false),
        ("web-*", "db-web-1", false),
        ("web-*", "WEB-1", false),
        ("db-?1", "db-01", true),
        ("db-?1", "db-a1", true),
        ("db-?1", "db-1", false),
        ("db-?1", "db-001", false),
        ("*web*", "web", true),
        ("*web*", "my-web-1", true),
        ("*web*", "wb", false),
        ("a*b*c", "abc", true),
        ("a*b*c", "aXbYc", true),
        ("a*b*c", "aXXbXXbXXc", true),
        ("a*b*c", "acb", false),
        ("a*b*c", "abcd", false),
        ("*-*-*", "a-b-c", true),
        ("*-*-*", "--", true),
        ("*-*-*", "a-b", false),
        ("*a", "aaa", true),
        ("*a", "aab", false),
        ("**", "anything", true),
        ("?", "x", true),
        ("?", "xy", false),
        ("?*?", "ab", true),
        ("?*?", "a", false),
        ("w*b*-*1", "web-prod-01", true),
        ("w*b*-*1", "web-prod-02", false),
    ]

    @Test(arguments: globs)
    func globsMatchWholeNames(pattern: String, name: String, expected: Bool) throws {
        let selector = try TargetSelector(parsing: pattern)
        #expect(selector.matches(name: name, labels: [:]) == expected)
    }

    @Test func manyStarsAgainstALongNearMissStayFalse() throws {
        let selector = try TargetSelector(parsing: "*a*a*a*a*a*a*a*b")
        let name = String(repeating: "a", count: 253)
        #expect(selector.matches(name: name, labels: [:]) == false)
        #expect(selector.matches(name: String(name.dropFirst()) + "b", labels: [:]))
    }

    @Test func allMatchesEveryAgent() {
        #expect(TargetSelector.all.matches(name: "anything", labels: [:]))
        #expect(TargetSelector.all.matches(name: "", labels: ["role": "db"]))
    }

    @Test func namesMatchExactlyAndOnlyListedNames() throws {
        let selector = try TargetSelector(parsing: "web-1,db-1")
        #expect(selector.matches(name: "web-1", labels: [:]))
        #expect(selector.matches(name: "db-1", labels: [:]))
        #expect(selector.matches(name: "web-2", labels: [:]) == false)
        #expect(selector.matches(name: "web-1x", labels: [:]) == false)
        #expect(selector.matches(name: "WEB-1", labels: [:]) == false)
    }

    @Test func labelsMatchWhenEveryWantedLabelIsPresent() throws {
        let selector = try TargetSelector(parsing: "role=web,env=prod")
        #expect(selector.matches(name: "x", labels: ["role": "web", "env": "prod"]))
        #expect(selector.matches(name: "x", labels: ["role": "web", "env": "prod", "zone": "a"]))
        #expect(selector.matches(name: "x", labels: ["role": "web", "env": "staging"]) == false)
        #expect(selector.matches(name: "x", labels: ["role": "web"]) == false)
        #expect(selector.matches(name: "x", labels: [:]) == false)
        #expect(selector.matches(name: "role", labels: ["web": "role"]) == false)
    }
}
