import Foundation
import Testing
@testable import StewardController

/// Confirmations: the same user answers `yes` in the same room within the limit.
@Suite struct ApprovalBookConfirmationTests {
    typealias F = ChatPolicyFixtures
    let clock = PolicyTestClock()
    var book: ApprovalBook

    init() {
        book = ApprovalBook(now: clock.now)
    }

    /// Asks alice to confirm `service.stop` with the window the fixture policy gives it.
    mutating func askAlice(id: String = "J1", room: String = "slack:C123") throws -> PendingConfirmation? {
        let decision = try F.policy().decide(.init(identity: F.alice, room: room, permission: "service.stop", targets: [F.db1]))
        #expect(decision == .allowAfterConfirmation(within: .seconds(60)))
        guard case .allowAfterConfirmation(let within) = decision else { return nil }
        return book.awaitConfirmation(id: id, requester: F.alice, room: room, summary: "stop nginx on db-01", within: within)
    }

    @Test mutating func sameUserConfirmsWithinTheLimit() throws {
        _ = try askAlice()
        clock.advance(seconds: 59)
        guard case .confirmed(let pending) = book.confirm(by: F.alice, room: "slack:C123") else { Issue.record("not confirmed"); return }
        #expect(pending.id == "J1" && pending.summary == "stop nginx on db-01")
        #expect(book.confirm(by: F.alice, room: "slack:C123") == .nothingPending)
    }

    @Test mutating func lateYesIsExpired() throws {
        _ = try askAlice()
        clock.advance(seconds: 60)
        #expect(book.pendingConfirmation(for: F.alice, room: "slack:C123") == nil)
        guard case .expired(let pending) = book.confirm(by: F.alice, room: "slack:C123") else { Issue.record("not expired"); return }
        #expect(pending.id == "J1")
    }

    @Test mutating func anotherUsersYesDoesNotConfirm() throws {
        _ = try askAlice()
        #expect(book.confirm(by: F.carol, room: "slack:C123") == .nothingPending)
        #expect(book.confirm(by: F.admin, room: "slack:C123") == .nothingPending)
        #expect(book.pendingConfirmation(for: F.alice, room: "slack:C123")?.id == "J1")
    }

    @Test mutating func yesInAnotherRoomDoesNotConfirm() throws {
        _ = try askAlice()
        #expect(book.confirm(by: F.alice, room: "slack:C999") == .nothingPending)
        guard case .confirmed = book.confirm(by: F.alice, room: "slack:C123") else { Issue.record("not confirmed"); return }
    }

    @Test mutating func newQuestionReplacesTheOpenOne() throws {
        #expect(try askAlice(id: "J1") == nil)
        clock.advance(seconds: 10)
        #expect(try askAlice(id: "J2")?.id == "J1")
        guard case .confirmed(let pending) = book.confirm(by: F.alice, room: "slack:C123") else { Issue.record("not confirmed"); return }
        #expect(pending.id == "J2")
        #expect(pending.deadline == clock.date.addingTimeInterval(60))
    }

    @Test mutating func noCancelsTheQuestion() throws {
        _ = try askAlice()
        guard case .cancelled(let pending) = book.cancelConfirmation(by: F.alice, room: "slack:C123") else { Issue.record("not cancelled"); return }
        #expect(pending.id == "J1")
        #expect(book.confirm(by: F.alice, room: "slack:C123") == .nothingPending)
    }

    @Test mutating func sweepDropsOverdueConfirmations() throws {
        _ = try askAlice(room: "slack:C1")
        clock.advance(seconds: 30)
        _ = try askAlice(id: "J2", room: "slack:C2")
        clock.advance(seconds: 31)
        _ = book.sweep()
        #expect(book.confirm(by: F.alice, room: "slack:C1") == .nothingPending)
        guard case .confirmed = book.confirm(by: F.alice, room: "slack:C2") else { Issue.record("fresh confirmation was swept"); return }
    }
}
