import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

extension CommandRunner {
    /// A spec checked and turned into a swift-subprocess configuration.
    struct Launch: Sendable {
        var executablePath: String
        var configuration: Subprocess.Configuration
    }

    /// Validates `spec` before anything is spawned, so bad input fails with a precise error.
    func prepare(_ spec: CommandSpec) throws(ExecutionError) -> Launch {
        let path = try ExecutableResolver(searchPath: spec.environment["PATH"] ?? configuration.searchPath)
            .resolve(spec.executable)
        guard spec.timeout > .zero else {
            throw ExecutionError(code: .invalidSpec, command: path, detail: "timeout must be positive, got \(spec.timeout)")
        }
        guard spec.outputLimit >= 0 else {
            throw ExecutionError(code: .invalidSpec, command: path, detail: "output limit must not be negative")
        }
        // execve takes C strings: a NUL would silently cut an argument short.
        if let index = spec.arguments.firstIndex(where: { $0.utf8.contains(0) }) {
            throw ExecutionError(code: .invalidSpec, command: path, detail: "argument \(index + 1) contains a NUL byte")
        }
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in spec.environment {
            guard !name.isEmpty, !name.contains("="), !name.utf8.contains(0), !value.utf8.contains(0),
                let key = Environment.Key(rawValue: name)
            else {
                throw ExecutionError(
                    code: .invalidSpec, command: path, detail: "invalid environment variable '\(name)'")
            }
            overrides[key] = value
        }
        if let directory = spec.workingDirectory, !ExecutableResolver.isDirectory(directory) {
            throw ExecutionError(
                code: .workingDirectoryNotFound, command: path,
                detail: "working directory \(directory) does not exist or is not a directory")
        }

        var options = PlatformOptions()
        // A new session makes the child a process-group leader with no controlling terminal, so one
        // signal to the group reaches every descendant.
        options.createSession = true
        // Used by swift-subprocess when the calling task is cancelled; our own code then ends any
        // member that outlives the child.
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: configuration.killGrace)
        ]
        let subprocessConfiguration = Subprocess.Configuration(
            executable: .path(FilePath(path)),
            arguments: Arguments(spec.arguments),
            environment: overrides.isEmpty ? .inherit : .inherit.updating(overrides),
            workingDirectory: spec.workingDirectory.map { FilePath($0) },
            platformOptions: options)
        return Launch(executablePath: path, configuration: subprocessConfiguration)
    }
}
