import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Dispatcher under concurrent results", .timeLimit(.minutes(1)))
struct DispatcherConcurrencyTests {
    @Test func resultsArrivingTogetherNeverOfferARunTwiceOrExceedTheBatch() async throws {
        let names = (0..<40).map { "h\($0)" }
        let harness = try await DispatcherHarness(agents: names)
        var sessions: [String: RecordingSession] = [:]
        for name in names { sessions[name] = await harness.attach(name) }
        let job = try await harness.submit(batch: .count(8))

        var finished = Set<String>()
        var rounds = 0
        while finished.count < names.count, rounds < 20 {
            rounds += 1
            let offered = names.filter { !finished.contains($0) && !(sessions[$0]!.offers.isEmpty) }
            let statuses = try await harness.statuses(job)
            #expect(statuses.values.filter { $0 == .offered || $0 == .running }.count <= 8)
            // Every offered agent answers at once: each result may start the next runs of the batch.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in offered { group.addTask { try await harness.finish(job, by: name) } }
                try await group.waitForAll()
            }
            finished.formUnion(offered)
        }

        #expect(names.map { sessions[$0]!.offers.count } == Array(repeating: 1, count: names.count))
        let statuses = try await harness.statuses(job)
        #expect(statuses.values.filter { $0 == .succeeded }.count == 40)
        #expect(try await harness.database.job(id: job.id).status == .finished)
        #expect(rounds == 5)
    }

    @Test func aFanOutFinishesWithOneJobFinishedEventAfterTheLastResult() async throws {
        let names = (0..<30).map { "h\($0)" }
        let harness = try await DispatcherHarness(agents: names)
        for name in names { await harness.attach(name) }
        let events = harness.dispatcher.events.subscribe()
        let job = try await harness.submit()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { try await harness.finish(job, by: name) } }
            try await group.waitForAll()
        }
        harness.dispatcher.events.finish()
        var finishedEvents: [String] = []
        for await event in events { if case .jobFinished(let id) = event { finishedEvents.append(id) } }
        #expect(finishedEvents == [job.id])
        #expect(try await harness.database.job(id: job.id).status == .finished)
    }

    @Test func waitingReturnsWhenTheJobFinishesAndForgetsItsSubscription() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        await harness.attach("web-1")
        let job = try await harness.submit()
        let waiter = Task { try await harness.dispatcher.waitUntilFinished(jobID: job.id, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        try await harness.finish(job, by: "web-1")
        #expect(try await waiter.value == true)

        let running = try await harness.submit()
        #expect(try await harness.dispatcher.waitUntilFinished(jobID: running.id, timeout: .milliseconds(100)) == false)
        // Subscriptions end with their waiters: none left behind.
        try await Task.sleep(for: .milliseconds(50))
        #expect(harness.dispatcher.events.subscriberCount == 0)
    }
}
