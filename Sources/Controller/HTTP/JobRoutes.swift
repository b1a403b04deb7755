import Foundation
import Hummingbird

/// `/api/v1/jobs`: submit, inspect, page through output, cancel.
struct JobRoutes {
    let deps: APIDependencies

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("jobs") { request, context -> API.Job in
            let body = try await request.decode(as: API.SubmitJob.self, context: context)
            let jobRequest: JobRequest
            do {
                jobRequest = try body.jobRequest(requestedBy: context.tokenName ?? "api")
            } catch {
                throw HTTPError.from(error)
            }
            do {
                let job = try await deps.dispatcher.submit(jobRequest)
                try await AuditLog(database: deps.database).append(AuditEvent(
                    at: Date(), kind: .jobStarted, actor: "\(jobRequest.source.rawValue):\(jobRequest.requestedBy)", jobID: job.id,
                    summary: "job \(job.id) \(job.commandText) on \(job.target)"))
                return try await detail(jobID: job.id)
            } catch {
                throw HTTPError.from(error)
            }
        }
        // `?wait=S` holds the answer until the job is over or S seconds (at most 300) have passed.
        group.get("jobs/:id") { request, context -> API.Job in
            let id = try context.parameters.require("id")
            if let wait = request.uri.queryParameters["wait"] {
                guard let seconds = Double(String(wait)), seconds.isFinite, (0...300).contains(seconds) else {
                    throw HTTPError(.badRequest, message: "wait must be a number of seconds from 0 to 300")
                }
                let job = try await job(id)
                _ = try await deps.dispatcher.waitUntilFinished(jobID: job.id, timeout: .milliseconds(Int64(seconds * 1000)))
            }
            return try await detail(jobID: id)
        }
        group.post("jobs/:id/cancel") { _, context -> API.Job in
            do {
                let job = try await deps.dispatcher.cancel(jobID: try context.parameters.require("id"), by: context.tokenName ?? "api")
                return try await detail(jobID: job.id)
            } catch {
                throw HTTPError.from(error)
            }
        }
        group.get("jobs/:id/output") { request, context -> API.OutputPage in
            let job = try await job(try context.parameters.require("id"))
            let after = request.uri.queryParameters.get("after", as: Int64.self) ?? 0
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 500, 5_000)
            let chunks = try await deps.database.output(jobID: job.id, agentID: nil, afterSeq: after, limit: max(1, limit))
            return API.OutputPage(
                chunks: chunks.map {
                    API.OutputChunk(seq: $0.seq ?? 0, agentID: $0.agentID, stream: $0.stream == .stderr ? "stderr" : "stdout",
                                    offset: $0.offset, data: $0.data)
                },
                next: chunks.last?.seq ?? after)
        }
    }

    private static func checkJobID(_ id: String) throws {
        guard (6...26).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw HTTPError(.badRequest, message: "'\(id.prefix(40))' is not a job id")
        }
    }

    private func job(_ id: String) async throws -> JobRecord {
        try Self.checkJobID(id)
        do {
            return try await deps.database.job(id: id.uppercased())
        } catch {
            throw HTTPError.from(error)
        }
    }

    private func detail(jobID: String) async throws -> API.Job {
        try Self.checkJobID(jobID)
        do {
            return try await deps.database.jobView(id: jobID.uppercased())
        } catch {
            throw HTTPError.from(error)
        }
    }
}

extension API.SubmitJob {
    func jobRequest(requestedBy tokenName: String) throws -> JobRequest {
        let who = onBehalfOf.map { "\(tokenName):\($0.prefix(64))" } ?? tokenName
        if let timeoutSeconds, !(1...86_400).contains(timeoutSeconds) {
            throw JobRequestError("timeout must be between 1 s and 24 h")
        }
        if let deliverySeconds, !(1...7 * 86_400).contains(deliverySeconds) {
            throw JobRequestError("delivery window must be between 1 s and 7 days")
        }
        let origin = try source.map { text -> JobSource in
            guard let origin = JobSource(rawValue: text), origin != .chat else { throw JobRequestError("unknown source '\(text.prefix(20))'") }
            return origin
        } ?? .api
        return JobRequest(
            action: try JobAction(words: action),
            target: try TargetSelector(parsing: target),
            requestedBy: who,
            source: origin,
            batch: try batch.map(BatchSize.init(parsing:)),
            maxErrors: try maxErrors.map(BatchSize.init(parsing:)),
            timeout: timeoutSeconds.map { .seconds($0) } ?? JobRequest.defaultTimeout,
            deliveryWindow: .seconds(deliverySeconds ?? 600))
    }
}

extension RunRecord {
    func api(agentName: String) -> API.Run {
        let duration: Int64? = if let startedAt, let finishedAt {
            Int64(finishedAt.timeIntervalSince(startedAt) * 1000)
        } else {
            nil
        }
        return API.Run(
            agentID: agentID, agentName: agentName, status: status.rawValue, final: status.isFinal, exitCode: exitCode,
            signal: signal, error: error, startedAt: startedAt, finishedAt: finishedAt, durationMs: duration,
            stdoutBytes: stdoutBytes, stderrBytes: stderrBytes, truncated: truncated,
            structuredJSON: structured.flatMap { String(data: $0, encoding: .utf8) })
    }
}
