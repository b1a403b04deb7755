/// The `ControllerLimits` keys of `controller.yaml`.
extension ControllerConfigFile {
    static let limitKeys: Set<String> = [
        "max_agent_connections", "agent_messages_per_second", "agent_message_burst", "enrollment_failures_per_minute",
        "max_jobs_per_agent", "max_output_per_run", "job_retention", "output_retention",
    ]

    /// Sets one limit from its text; `location` is "path:line: key" for errors.
    static func applyLimit(_ key: String, _ text: String, at location: String, to limits: inout ControllerLimits) throws {
        switch key {
        case "max_agent_connections": limits.maxAgentConnections = try count(text, in: 1...1_000_000, at: location)
        case "agent_messages_per_second": limits.agentMessagesPerSecond = try count(text, in: 10...1_000_000, at: location)
        case "agent_message_burst": limits.agentMessageBurst = try count(text, in: 10...1_000_000, at: location)
        case "enrollment_failures_per_minute": limits.enrollmentFailuresPerMinute = try count(text, in: 1...10_000, at: location)
        case "max_jobs_per_agent": limits.maxJobsPerAgent = try count(text, in: 1...10_000, at: location)
        case "max_output_per_run": limits.maxOutputPerRun = try bytes(text, in: 1 << 10...1 << 40, at: location)
        case "job_retention": limits.jobRetention = try retention(text, at: location)
        case "output_retention": limits.outputRetention = try retention(text, at: location)
        default: throw ConfigurationError("\(location): not a limit")
        }
    }

    static func count(_ text: String, in range: ClosedRange<Int>, at location: String) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(location): '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A size in bytes, plain or with a binary unit: 1048576, 512KiB, 16MiB, 1GiB.
    static func bytes(_ text: String, in range: ClosedRange<Int64>, at location: String) throws -> Int64 {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("", 1)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            if let number = Int64(text.dropLast(unit.count)), number >= 0, number <= range.upperBound / factor,
               range.contains(number * factor)
            {
                return number * factor
            }
            break
        }
        throw ConfigurationError(
            "\(location): '\(text)' must be a size from \(range.lowerBound) to \(range.upperBound) bytes, such as 16MiB, 512KiB or 1048576")
    }

    /// A duration (30d, 12h), or `forever` to keep everything.
    static func retention(_ text: String, at location: String) throws -> Duration? {
        if text == "forever" { return nil }
        do {
            return .seconds(try seconds(text, at: location))
        } catch {
            throw ConfigurationError("\(location): '\(text)' is not a duration such as 30d or 12h, nor 'forever'")
        }
    }
}
