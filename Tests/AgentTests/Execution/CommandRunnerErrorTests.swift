import Testing
@testable import StewardAgent

@Suite("CommandRunner errors", .timeLimit(.minutes(1)))
struct CommandRunnerErrorTests {
    let runner = ExecutionTestFixtures.runner()

    private func failure(_ spec: CommandSpec) async -> ExecutionError? {
        do {
            _ = try await runner.run(spec, sink: { _ in })
            return nil
        } catch {
            return error
        }
    }

    @Test func missingAbsoluteExecutableIsNotFound() async throws {
        let error = try #require(await failure(CommandSpec(executable: "/nonexistent/steward-missing")))
        #expect(error.code == .executableNotFound)
        #expect(error.detail.contains("/nonexistent/steward-missing"))
    }

    @Test func unknownBareNameIsNotFoundAndNamesTheSearchPath() async throws {
        let error = try #require(await failure(CommandSpec(executable: "steward-no-such-command")))
        #expect(error.code == .executableNotFound)
        #expect(error.detail.contains("PATH"))
        #expect(error.detail.contains("/usr/bin"))
    }

    @Test func directoryIsNotAnExecutable() async throws {
        let error = try #require(await failure(CommandSpec(executable: "/tmp")))
        #expect(error.code == .executableNotFound)
    }

    @Test func nonExecutableFileIsNotFound() async throws {
        let scratch = try ExecutionScratchDirectory()
        let path = scratch.file("plain.txt")
        try "not a program".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(await failure(CommandSpec(executable: path)))
        #expect(error.code == .executableNotFound)
    }

    @Test(arguments: [
        CommandSpec(executable: "bin/sh"),
        CommandSpec(executable: "./sh"),
        CommandSpec(executable: ""),
        CommandSpec(executable: "/bin/echo", arguments: ["a\u{0}b"]),
        CommandSpec(executable: "/bin/true", environment: ["BAD=NAME": "x"]),
        CommandSpec(executable: "/bin/true", environment: ["": "x"]),
        CommandSpec(executable: "/bin/true", environment: ["OK": "nul\u{0}"]),
        CommandSpec(executable: "/bin/true", timeout: .zero),
        CommandSpec(executable: "/bin/true", outputLimit: -1),
    ])
    func rejectsInvalidSpecsBeforeSpawning(spec: CommandSpec) async throws {
        let error = try #require(await failure(spec))
        #expect(error.code == .invalidSpec)
    }

    @Test func missingWorkingDirectoryIsReported() async throws {
        let error = try #require(
            await failure(CommandSpec(executable: "/bin/pwd", workingDirectory: "/nonexistent/steward-dir")))
        #expect(error.code == .workingDirectoryNotFound)
    }

    @Test func relativePathEntriesInPATHAreIgnored() async throws {
        let runner = CommandRunner(
            configuration: .init(searchPath: ".:bin::usr/bin"), logger: ExecutionTestFixtures.logger)
        await #expect(throws: ExecutionError.self) {
            _ = try await runner.run(CommandSpec(executable: "sh"), sink: { _ in })
        }
    }
}
