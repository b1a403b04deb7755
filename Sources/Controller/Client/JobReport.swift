import Foundation
import StewardProtocol

/// Renders a finished job for a terminal: a table fit for its action, and a one-line summary.
public enum JobReport {
    public static func render(_ job: API.Job) -> String {
        var sections: [String] = []
        let succeeded = job.runs.filter { $0.status == "succeeded" }
        let decoder = JSONDecoder()
        if job.command == "metrics" {
            let rows = succeeded.compactMap { run in
                run.structuredJSON.flatMap { try? decoder.decode(HostMetrics.self, from: Data($0.utf8)) }.map { (host: run.agentName, metrics: $0) }
            }
            if !rows.isEmpty { sections.append(MetricsTable.render(rows)) }
        } else if job.command == "facts" {
            let rows = succeeded.compactMap { run in
                run.structuredJSON.flatMap { try? decoder.decode(HostFacts.self, from: Data($0.utf8)) }.map { (host: run.agentName, facts: $0) }
            }
            if !rows.isEmpty { sections.append(FactsTable.render(rows)) }
        }
        sections.append(runTable(job.runs))
        sections.append(summary(job))
        return sections.joined(separator: "\n")
    }

    /// Per-host results: status, exit code, duration and the reason when it did not succeed.
    public static func runTable(_ runs: [API.Run]) -> String {
        var table = TextTable(columns: [
            .init("HOST"), .init("STATUS"), .init("EXIT", alignment: .right), .init("DURATION", alignment: .right), .init("DETAIL"),
        ])
        for run in runs {
            table.append([
                run.agentName, run.status, run.exitCode.map(String.init) ?? run.signal.map { "sig\($0)" } ?? "-",
                run.durationMs.map { "\($0) ms" } ?? "-", detail(run),
            ])
        }
        return table.render()
    }

    static func detail(_ run: API.Run) -> String {
        var parts: [String] = []
        if let error = run.error, !error.isEmpty { parts.append(error) }
        if run.truncated { parts.append("output truncated") }
        if let json = run.structuredJSON, run.status == "succeeded", let downtime = rebootDowntime(json) {
            parts.append("back after \(downtime) ms")
        }
        return parts.joined(separator: "; ")
    }

    static func rebootDowntime(_ json: String) -> Int64? {
        struct Reboot: Decodable { var downtime_ms: Int64 }
        return (try? JSONDecoder().decode(Reboot.self, from: Data(json.utf8)))?.downtime_ms
    }

    /// `job 01J… metrics on 3 hosts: 2 succeeded, 1 failed`.
    public static func summary(_ job: API.Job) -> String {
        var counts: [String: Int] = [:]
        for run in job.runs { counts[run.status, default: 0] += 1 }
        let order = ["succeeded", "failed", "timed_out", "rejected", "undelivered", "lost", "cancelled", "skipped", "queued", "offered", "running"]
        let parts = order.compactMap { status in counts[status].map { "\($0) \(status.replacingOccurrences(of: "_", with: " "))" } }
        let hosts = job.runs.count == 1 ? "1 host" : "\(job.runs.count) hosts"
        return "job \(job.id) \(job.command) on \(hosts): \(parts.joined(separator: ", "))"
    }

    /// Whether every run succeeded (the CLI's exit status).
    public static func allSucceeded(_ job: API.Job) -> Bool {
        job.runs.allSatisfy { $0.status == "succeeded" }
    }
}
