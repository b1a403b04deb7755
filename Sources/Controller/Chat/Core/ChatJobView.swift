import Foundation

/// How a job looks in a chat room: an acknowledgement, progress edits, and a final per-host summary.
public enum ChatJobView {
    /// `job 01J… restart nginx on 3 hosts, asked by alice`.
    public static func acknowledgement(_ job: API.Job, askedBy: String) -> String {
        let hosts = job.runs.count == 1 ? "1 host" : "\(job.runs.count) hosts"
        return "job \(job.id) `\(job.command)` on \(hosts), asked by \(askedBy)"
    }

    /// The message for the job's current state; `output` holds each host's output so far.
    public static func render(
        _ job: API.Job, askedBy: String, output: [String: String], limit: Int, consoleURL: String?
    ) -> ChatReply {
        var blocks: [ChatReply.Block] = [.text(acknowledgement(job, askedBy: askedBy))]
        let done = job.runs.filter(\.final).count
        if done < job.runs.count {
            blocks.append(.text("\(done)/\(job.runs.count) hosts done\(counts(job))"))
        } else {
            blocks.append(.text(JobReport.summary(job)))
            if let table = structuredTable(job) { blocks.append(.code(table)) }
            blocks.append(.code(JobReport.runTable(job.runs)))
        }
        let outputText = output.sorted { $0.key < $1.key }.flatMap { host, text in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(host) | \($0)" }
        }.joined(separator: "\n")
        if !outputText.isEmpty { blocks.append(.code(outputText)) }
        var reply = fit(ChatReply(blocks), limit: limit, jobID: job.id, consoleURL: consoleURL)
        reply.isPartial = done < job.runs.count
        return reply
    }

    static func counts(_ job: API.Job) -> String {
        var byStatus: [String: Int] = [:]
        for run in job.runs where run.final { byStatus[run.status, default: 0] += 1 }
        guard !byStatus.isEmpty else { return "" }
        return ": " + byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    static func structuredTable(_ job: API.Job) -> String? {
        guard job.command == "metrics" || job.command == "facts" else { return nil }
        let full = JobReport.render(job)
        // JobReport puts the metrics/facts table first; keep only that part.
        let runTable = JobReport.runTable(job.runs)
        guard let range = full.range(of: runTable), range.lowerBound != full.startIndex else { return nil }
        return String(full[..<range.lowerBound]).trimmingCharacters(in: .newlines)
    }

    /// Cuts the longest code block until the message fits, pointing at the full log.
    static func fit(_ reply: ChatReply, limit: Int, jobID: String, consoleURL: String?) -> ChatReply {
        guard reply.markdown.count > limit else { return reply }
        let pointer = "… output cut at the platform's limit; full log: `job \(jobID)`"
            + (consoleURL.map { " or \($0)/jobs/\(jobID)" } ?? "")
        var blocks = reply.blocks
        let overflow = reply.markdown.count - limit + pointer.count + 16
        if let index = blocks.indices.filter({ if case .code = blocks[$0] { true } else { false } })
            .max(by: { blocks[$0].length < blocks[$1].length }), case .code(let code) = blocks[index]
        {
            let keep = max(0, code.count - overflow)
            blocks[index] = .code(String(code.prefix(keep)))
        }
        blocks.append(.text(pointer))
        let cut = ChatReply(blocks)
        return cut.markdown.count <= limit ? cut : ChatReply([.text(String(cut.plainText.prefix(max(0, limit - pointer.count - 1)))), .text(pointer)])
    }
}

extension ChatReply.Block {
    var length: Int {
        switch self {
        case .text(let text), .code(let text): text.count
        }
    }
}
