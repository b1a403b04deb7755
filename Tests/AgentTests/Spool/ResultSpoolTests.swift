import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

struct SpoolJobIDTests {
    @Test(arguments: ["../x", "..", ".", "a/b", "", "job 1", "job\u{0}", "jöb", "x\n", "/etc", String(repeating: "a", count: 65)])
    func hostileOrMalformedIDsAreRefused(_ text: String) {
        #expect(throws: SpoolError.self) { try SpoolJobID(text) }
        #expect(SpoolJobID.problem(with: text) != nil)
    }

    @Test(arguments: ["job-1", "01J9ZQ_ABC", "a", String(repeating: "Z", count: 64)])
    func plainIDsAreAccepted(_ text: String) throws {
        #expect(try SpoolJobID(text).rawValue == text)
    }

    @Test func refusalCodeIsInvalidJobID() {
        do {
            _ = try SpoolJobID("../x")
            Issue.record("accepted a path")
        } catch {
            #expect(error.code == .invalidJobID)
        }
    }
}

struct ResultSpoolTests {
    let directory: RuntimeTestDirectory
    let spool: ResultSpool

    init() throws {
        directory = try RuntimeTestDirectory()
        spool = try ResultSpool(directory: directory.file("spool"))
    }

    func spec(_ id: String) -> Wire.JobSpec {
        var spec = Wire.JobSpec()
        spec.jobID = id
        spec.requestedBy = "alice"
        return spec
    }

    @Test func createdEntryIsPrivateAndHoldsTheSpec() throws {
        let id = try SpoolJobID("job-1")
        try spool.create(id, spec: spec("job-1"))
        #expect(spool.contains(id))
        #expect(try spool.spec(id) == spec("job-1"))
        #expect(try SecureFile.permissions(of: directory.file("spool")) == 0o700)
        #expect(try SecureFile.permissions(of: directory.file("spool/job-1")) == 0o700)
        #expect(try SecureFile.permissions(of: directory.file("spool/job-1/spec.pb")) == 0o600)
        #expect(try spool.state(id) == .pending(spec("job-1")))
    }

    @Test func creatingAnExistingEntryFails() throws {
        let id = try SpoolJobID("job-1")
        try spool.create(id, spec: spec("job-1"))
        #expect(throws: SpoolError(.alreadyExists, "\(directory.file("spool"))/job-1 already exists")) {
            try spool.create(id, spec: spec("job-1"))
        }
    }

    @Test func outputAppendsAndReadsBackByRange() throws {
        let id = try SpoolJobID("job-out")
        try spool.create(id, spec: spec("job-out"))
        try spool.appendOutput(id, stream: .stdout, bytes: Array("hello ".utf8))
        try spool.appendOutput(id, stream: .stdout, bytes: Array("world".utf8))
        try spool.appendOutput(id, stream: .stderr, bytes: Array("warn".utf8))

        #expect(try spool.outputSize(id, stream: .stdout) == 11)
        #expect(try spool.readOutput(id, stream: .stdout, from: 0, maxBytes: 5) == Array("hello".utf8))
        #expect(try spool.readOutput(id, stream: .stdout, from: 6, maxBytes: 100) == Array("world".utf8))
        #expect(try spool.readOutput(id, stream: .stdout, from: 11, maxBytes: 100).isEmpty)
        #expect(try spool.readOutput(id, stream: .stderr, from: 0, maxBytes: 100) == Array("warn".utf8))
        #expect(try SecureFile.permissions(of: directory.file("spool/job-out/stdout")) == 0o600)
    }

    @Test func resultWinsOverARebootMarker() throws {
        let id = try SpoolJobID("job-r")
        try spool.create(id, spec: spec("job-r"))
        let marker = RebootMarker(bootID: "boot-1", requestedAtMilliseconds: 42)
        try spool.writeRebootMarker(id, marker)
        #expect(try spool.state(id) == .rebooting(marker, spec("job-r")))

        var result = Wire.JobResult()
        result.jobID = "job-r"
        result.status = .failed
        try spool.writeResult(id, result)
        #expect(try spool.state(id) == .finished(result))
        #expect(try SecureFile.permissions(of: directory.file("spool/job-r/result.pb")) == 0o600)
    }

    @Test func writingAResultWithoutAnEntryFails() throws {
        #expect(throws: SpoolError.self) { try spool.writeResult(SpoolJobID("ghost"), Wire.JobResult()) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("spool/ghost")))
    }

    @Test func corruptResultIsReportedAsCorrupt() throws {
        let id = try SpoolJobID("job-bad")
        try spool.create(id, spec: spec("job-bad"))
        try Data([0xFF, 0xFF, 0xFF]).write(to: URL(fileURLWithPath: directory.file("spool/job-bad/result.pb")))
        do {
            _ = try spool.state(id)
            Issue.record("corrupt result accepted")
        } catch let error as SpoolError {
            #expect(error.code == .corrupt)
        }
    }

    @Test func removeDeletesTheWholeEntry() throws {
        let id = try SpoolJobID("job-del")
        try spool.create(id, spec: spec("job-del"))
        try spool.appendOutput(id, stream: .stdout, bytes: [1, 2, 3])
        try spool.writeResult(id, Wire.JobResult())
        try spool.remove(id)
        #expect(!spool.contains(id))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("spool")).isEmpty)
    }

    @Test func interruptedDeleteIsFinishedAtOpenAndStrayNamesAreSkipped() throws {
        let root = directory.file("spool")
        try FileManager.default.createDirectory(atPath: root + "/.trash-job-old", withIntermediateDirectories: true)
        try Data([1]).write(to: URL(fileURLWithPath: root + "/.trash-job-old/stdout"))
        try FileManager.default.createDirectory(atPath: root + "/not a job", withIntermediateDirectories: true)
        try spool.create(SpoolJobID("job-b"), spec: spec("job-b"))
        try spool.create(SpoolJobID("job-a"), spec: spec("job-a"))

        let reopened = try ResultSpool(directory: root)

        #expect(!FileManager.default.fileExists(atPath: root + "/.trash-job-old"))
        #expect(try reopened.jobIDs().map(\.rawValue) == ["job-a", "job-b"])
    }
}
