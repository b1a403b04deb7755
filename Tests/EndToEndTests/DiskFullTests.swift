import Foundation
import GRDB
import Testing

extension FaultSuites {
    /// The controller's state directory on a small tmpfs that fills up for real (ENOSPC, SQLite's SQLITE_FULL).
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: TmpfsVolume.usable || RootSuites.required, TmpfsVolume.skipNote))
    struct DiskFullTests {
        static let refusal = "the controller's disk is full: new jobs are refused until space is freed"
        static let chatRefusal = "error: the controller's disk is full: new jobs and chat commands are refused until space is freed"

        /// With the disk full: `steward run` and `POST /api/v1/jobs` are refused with the reason (507 on the API),
        /// chat says so too, reads go on, housekeeping reports the outage once and keeps its 1 s pace, the process
        /// stays up. Once space is back, a job runs end to end, the run that waited expires, and nothing recorded
        /// before is lost.
        @Test func aFullDiskRefusesNewJobsKeepsServingReadsAndRecovers() async throws {
            if RootSuites.required { try TmpfsVolume.requireUsable() }
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("disk-full")
            let controller = ControllerUnderTest(root: root)
            let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.standard)
            let db = try AgentUnderTest(root: root, name: "db-01", policy: Policies.standard)
            let volume = try await TmpfsVolume.mount(at: controller.stateDir, megabytes: 8)

            try await withLogsOnFailure(
                [("controller", { controller.log }), ("web-01", { web.log })],
                cleanup: { await web.stop(); await controller.stop(); await volume.unmount() }
            ) {
                try await controller.start()
                let token = try await controller.createToken(labels: "role=app", uses: 2)
                try #require(try await web.enroll(token: token).status == 0)
                try #require(try await db.enroll(token: token).status == 0)
                try web.start()  // db-01 stays away: a run for it waits, then expires during the outage
                try await Harness.eventually("web-01 online") { try await controller.agentState("web-01") == "online" }
                let store = try StoreReader(stateDir: controller.stateDir)

                let before = [try await Self.submit(controller, "web-01", ["exec", "hello"]), try await Self.submit(controller, "web-01", ["exec", "hello"])]
                try await Harness.eventually("the jobs before the outage finish") {
                    try before.allSatisfy { try store.runs($0).first?.status == "succeeded" }
                }
                let waiting = try await Self.submit(controller, "db-01", ["ping"], deliveryTimeout: "6s")
                let waitingDeadline = ContinuousClock.now + .seconds(6)
                let jobsBefore = try store.count("jobs"), runsBefore = try store.count("runs")
                #expect(jobsBefore == 3 && runsBefore == 3)

                let filler = try volume.fill()
                print("disk-full: filler \(filler) bytes, \(volume.availableBytes) bytes left on the controller's 8 MiB state volume")
                #expect(volume.availableBytes == 0)

                // New jobs are refused, with the reason, by the CLI and the API.
                let cli = try await controller.cli(["run", "--target", "web-01", "exec", "hello"])
                #expect(cli.status == 1)
                #expect(cli.stderr == "error: \(Self.refusal)\n", "\(cli.stderr)")
                let api = try await controller.api("POST", "/api/v1/jobs", json: ["target": "web-01", "action": ["exec", "hello"]])
                print("disk-full: POST /api/v1/jobs answered \(api.status): \(api.errorMessage ?? "")")
                #expect(api.status == 507)
                #expect(api.errorMessage == Self.refusal)
                let chat = try await controller.cli(["chat", "--command", "ping web-01"])
                #expect(chat.stdout.contains(Self.chatRefusal), "\(chat.stdout)\(chat.stderr)")

                // Reads go on.
                let agents = try await controller.agents()
                #expect(agents.map(\.name).sorted() == ["db-01", "web-01"])
                #expect(agents.first { $0.name == "web-01" }?.state == "online")
                let history: [HistoryView] = try await controller.json(["history", "web-01"])
                #expect(history.map(\.job_id).sorted() == before.sorted())
                #expect(try await controller.job(before[0]).runs.map(\.status) == ["succeeded"])

                // Housekeeping meets the full disk when the waiting run's window ends: one report, no crash, no spin.
                try await Task.sleep(until: waitingDeadline + .seconds(3))
                #expect(controller.process?.isRunning == true)
                #expect(try store.runs(waiting).map(\.status) == ["queued"], "its expiry could not be written")
                #expect(Self.lines(of: controller.log, containing: "housekeeping cannot write to the store") == 1)
                #expect(Self.lines(of: controller.log, containing: "housekeeping failed") == 0)
                let refusedLogged = Self.lines(of: controller.log, containing: "API request refused: the store cannot write")
                print("disk-full: API requests refused and logged: \(refusedLogged)")
                #expect(refusedLogged == 2, "the CLI's and the API's job submissions")
                #expect(try store.count("jobs") == jobsBefore && store.count("runs") == runsBefore, "nothing was half-written")

                try volume.makeRoom()
                print("disk-full: room made, \(volume.availableBytes) bytes free")
                try await Harness.eventually("housekeeping expires the waiting run once it can write") {
                    try store.runs(waiting).first?.status == "undelivered"
                }
                #expect(Self.lines(of: controller.log, containing: "housekeeping writes to the store again") == 1)
                let after = try await controller.cli(["run", "--target", "web-01", "exec", "hello"])
                #expect(after.status == 0, "\(after.stderr)")
                #expect(after.stdout.contains("web-01 | hello from steward"), "\(after.stdout)")

                let jobsAfter = try store.count("jobs"), runsAfter = try store.count("runs")
                print("disk-full: jobs \(jobsBefore) before the outage, \(jobsAfter) after recovery; runs \(runsBefore) before, \(runsAfter) after")
                #expect(jobsAfter == jobsBefore + 1 && runsAfter == runsBefore + 1)
                for id in before { #expect(try store.runs(id).map(\.status) == ["succeeded"]) }
                let verify = try await controller.cli(["audit", "verify"])
                #expect(verify.status == 0, "the audit chain survived the refused appends: \(verify.stdout)\(verify.stderr)")
                #expect(controller.process?.isRunning == true)
            }
        }

        static func submit(_ controller: ControllerUnderTest, _ target: String, _ action: [String], deliveryTimeout: String? = nil) async throws -> String {
            let options = deliveryTimeout.map { ["--delivery-timeout", $0] } ?? []
            let submitted = try await controller.cli(["run", "--target", target, "--detach"] + options + action)
            let jobID = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(submitted.status == 0 && jobID.count == 26, "submit failed: \(submitted.stderr)")
            return jobID
        }

        static func lines(of log: String, containing text: String) -> Int {
            log.split(separator: "\n").filter { $0.contains(text) }.count
        }
    }
}

extension StoreReader {
    /// Rows in `table`.
    func count(_ table: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }
}
