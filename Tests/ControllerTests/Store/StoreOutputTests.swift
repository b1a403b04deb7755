import Foundation
import Testing
@testable import StewardController

@Suite("Store output", .timeLimit(.minutes(1)))
struct StoreOutputTests {
    private let web1 = "agent-web-1"
    private let web2 = "agent-web-2"

    @Test func aReplayedChunkIsIgnoredAndCountedOnce() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        let data = Data("hello\n".utf8)
        #expect(try await store.appendOutput(jobID: "J1", agentID: web1, stream: .stdout, offset: 0, data: data))
        #expect(try await store.appendOutput(jobID: "J1", agentID: web1, stream: .stdout, offset: 0, data: data) == false)
        // The same offset on the other stream or another agent is a different chunk.
        #expect(try await store.appendOutput(jobID: "J1", agentID: web1, stream: .stderr, offset: 0, data: Data("e".utf8)))
        #expect(try await store.appendOutput(jobID: "J1", agentID: web2, stream: .stdout, offset: 0, data: data))

        #expect(try await StoreFixture.count("output_chunks", in: store) == 3)
        let run = try #require(try await store.run(jobID: "J1", agentID: web1))
        #expect(run.stdoutBytes == 6)
        #expect(run.stderrBytes == 1)
        #expect(try await store.outputBytes(jobID: "J1", agentID: web1, stream: .stdout) == 6)
        #expect(try await store.outputBytes(jobID: "J1", agentID: web1, stream: .stderr) == 1)
        #expect(try await store.outputBytes(jobID: "J1", agentID: "agent-db-1", stream: .stdout) == 0)
    }

    @Test func pagesThroughOutputInArrivalOrder() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        // Arrival order, not offset order, is what a live view replays.
        let arrivals: [(String, OutputStreamKind, Int64, String)] = [
            (web1, .stdout, 5, "world"), (web2, .stdout, 0, "B"), (web1, .stdout, 0, "hello"),
            (web1, .stderr, 0, "warn"), (web2, .stdout, 1, "C"),
        ]
        for (agent, stream, offset, text) in arrivals {
            try await store.appendOutput(jobID: "J1", agentID: agent, stream: stream, offset: offset, data: Data(text.utf8))
        }
        let all = try await store.output(jobID: "J1")
        #expect(all.map { String(decoding: $0.data, as: UTF8.self) } == ["world", "B", "hello", "warn", "C"])
        let seqs = all.compactMap(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == 5)

        let firstPage = try await store.output(jobID: "J1", agentID: web1, afterSeq: 0, limit: 2)
        #expect(firstPage.map(\.offset) == [5, 0])
        let secondPage = try await store.output(jobID: "J1", agentID: web1, afterSeq: try #require(firstPage.last?.seq), limit: 2)
        #expect(secondPage.map(\.stream) == [.stderr])
        #expect(try await store.output(jobID: "J1", limit: 0).count == 1)
        #expect(try await store.output(jobID: "J2").isEmpty)
    }

    @Test func refusesOutputForUnknownRunsAndNegativeOffsets() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        let unknown = await #expect(throws: StoreError.self) {
            try await store.appendOutput(jobID: "J1", agentID: "ghost", stream: .stdout, offset: 0, data: Data([1]))
        }
        let negative = await #expect(throws: StoreError.self) {
            try await store.appendOutput(jobID: "J1", agentID: web1, stream: .stdout, offset: -1, data: Data([1]))
        }
        #expect(unknown?.code == .notFound)
        #expect(negative?.code == .invalidArgument)
        #expect(try await StoreFixture.count("output_chunks", in: store) == 0)
    }

    @Test func storesBinaryOutputExactly() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        let bytes = Data((0...255).map(UInt8.init) + [0, 0xFF, 0xC3])
        try await store.appendOutput(jobID: "J1", agentID: web1, stream: .stdout, offset: 0, data: bytes)
        #expect(try await store.output(jobID: "J1").first?.data == bytes)
    }
}
