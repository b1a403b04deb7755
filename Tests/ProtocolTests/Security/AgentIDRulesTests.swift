import Testing

@testable import StewardProtocol

@Suite struct AgentIDRulesTests {
    @Test(arguments: ["web-1", "db.prod_2", "A", String(repeating: "x", count: 64)])
    func acceptsPlainIDs(id: String) {
        #expect(AgentIDRules.isValid(id))
    }

    @Test(arguments: ["", "-web", ".hidden", "web/1", "web 1", "wéb", "a:b", "a\u{0}", String(repeating: "x", count: 65)])
    func rejectsUnsafeIDs(id: String) {
        #expect(!AgentIDRules.isValid(id))
    }
}
