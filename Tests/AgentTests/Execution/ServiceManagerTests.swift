import Foundation
import Testing
@testable import StewardAgent

@Suite("ServiceManager", .timeLimit(.minutes(1)))
struct ServiceManagerTests {
    @Test func runsManagerArgvThenOperationThenUnit() async throws {
        let scratch = try ExecutionScratchDirectory()
        let fake = try scratch.script("fake-systemctl", "printf '%s|' \"$@\"; exit 3")
        let manager = ServiceManager(runner: ExecutionTestFixtures.runner(), argv: [fake, "--no-ask-password"])
        let recorder = ExecutionChunkRecorder()
        let outcome = try await manager.perform(.restart, unit: "nginx.service", sink: recorder.sink)
        #expect(await recorder.text(.stdout) == "--no-ask-password|restart|nginx.service|")
        #expect(outcome.termination == .exited(3))
    }

    @Test(arguments: ServiceOperation.allCases)
    func passesEachOperationByName(operation: ServiceOperation) throws {
        let manager = ServiceManager(runner: ExecutionTestFixtures.runner())
        let spec = try manager.commandSpec(operation, unit: "getty@tty1.service")
        #expect(spec.executable == "systemctl")
        #expect(spec.arguments == [operation.rawValue, "getty@tty1.service"])
    }

    @Test(arguments: [
        "", "-H", "--help", "nginx service", "nginx;reboot", "$(id)", "`id`", "*", "nginx\n",
        "ünit", "a/b", "nginx|cat", String(repeating: "a", count: 256),
    ])
    func rejectsHostileUnitNamesWithoutRunningAnything(unit: String) async throws {
        let scratch = try ExecutionScratchDirectory()
        let marker = scratch.file("ran")
        let fake = try scratch.script("fake-systemctl", "touch '\(marker)'")
        let manager = ServiceManager(runner: ExecutionTestFixtures.runner(), argv: [fake])
        let error = await #expect(throws: ExecutionError.self) {
            _ = try await manager.perform(.stop, unit: unit, sink: { _ in })
        }
        #expect(error?.code == .invalidUnitName)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test(arguments: ["nginx", "getty@tty1.service", "a:b_c-d.e", String(repeating: "a", count: 255)])
    func acceptsValidUnitNames(unit: String) {
        #expect(ServiceUnitName.isValid(unit))
    }

    @Test func emptyManagerArgvIsAnInvalidSpec() {
        let manager = ServiceManager(runner: ExecutionTestFixtures.runner(), argv: [])
        #expect(throws: ExecutionError(code: .invalidSpec, command: "nginx", detail: "the service manager argv is empty")) {
            _ = try manager.commandSpec(.status, unit: "nginx")
        }
    }
}
