import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// `GET /api/v1/jobs/{id}/live` upgraded to a WebSocket: pushes a job's output and run changes as they land.
///
/// Browsers cannot set an Authorization header on a WebSocket and tokens must never appear in URLs, so the
/// client authenticates with its first text frame, `{"token":"..."}`, checked exactly like the bearer middleware.
/// The server then polls the store (one job per socket) and sends `{"type":"job"}`, `{"type":"output"}` and
/// finally `{"type":"done"}` frames; every failure ends in an `{"type":"error"}` frame or a close code.
struct JobLiveSocket: Sendable {
    let database: StewardDatabase
    var authTimeout: Duration = .seconds(5)
    var pollInterval: Duration = .milliseconds(250)
    /// Longer than the longest job timeout (24 h) plus delivery slack, so a socket cannot live forever.
    var maxLifetime: Duration = .seconds(26 * 3600)
    var now: @Sendable () -> Date = { Date() }
    /// Where refused sockets and slow request heads are counted.
    var metrics = ControllerMetrics()

    /// Largest frame either side sends at once; longer messages go out as continuation frames.
    static let maxFrameSize = 8 * 1024
    /// The only message a client sends is the token frame, so anything bigger is hostile.
    static let maxInboundMessage = 1024
    /// Output chunks per `output` frame, so one message stays a few hundred KiB at most.
    static let chunksPerFrame = 100

    /// Builds the HTTP/1 server with this socket's upgrade; every other request goes to the router.
    /// A client has `headerTimeout` to send a complete request head, on a new connection and between
    /// the requests of a kept-alive one; an upgraded socket is not subject to it.
    func serverBuilder(headerTimeout: Duration = APIServer.defaultHeaderTimeout) -> HTTPServerBuilder {
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: TimeAmount(headerTimeout)),
            ws: .init(maxFrameSize: Self.maxFrameSize, closeTimeout: .seconds(5)))
        return HTTPServerBuilder { responder in
            RequestHeadDeadlineChannel(
                base: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration) { request, _, _ in
                    guard request.method == .get, let jobID = Self.jobID(path: request.path) else { return .dontUpgrade }
                    return .upgrade([:]) { inbound, outbound, context in
                        try await serve(jobID: jobID, inbound: inbound, outbound: outbound, logger: context.logger)
                    }
                },
                timeout: TimeAmount(headerTimeout), metrics: metrics)
        }
    }

    /// The `{id}` of `/api/v1/jobs/{id}/live` (query ignored), nil for any other path or an oversized segment.
    static func jobID(path: String?) -> String? {
        guard let path, path.utf8.count <= 256 else { return nil }
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let prefix = "/api/v1/jobs/", suffix = "/live"
        guard bare.hasPrefix(prefix), bare.hasSuffix(suffix), bare.count > prefix.count + suffix.count else { return nil }
        let id = bare.dropFirst(prefix.count).dropLast(suffix.count)
        guard !id.contains("/"), id.count <= 64 else { return nil }
        return String(id)
    }

    func serve(jobID: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let (first, handOver) = AsyncStream<String?>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The inbound stream allows one iterator: this task owns it, hands the first message over and then
            // keeps reading so the client's close and ping frames are answered; its end stops the pushing.
            group.addTask {
                var messages = inbound.messages(maxSize: Self.maxInboundMessage).makeAsyncIterator()
                let message = try? await messages.next()
                if case .text(let text) = message { handOver.yield(text) } else { handOver.yield(nil) }
                handOver.finish()
                while (try? await messages.next()) != nil {}
            }
            group.addTask {
                guard let text = await Self.firstMessage(first, within: authTimeout),
                      let record = try await authenticate(text) else {
                    logger.warning("live job socket without a valid token", metadata: ["job": "\(jobID.prefix(26))"])
                    metrics.rejected(.api, .badToken)
                    try await outbound.close(.policyViolation, reason: "authentication required")
                    return
                }
                logger.debug("live job socket opened", metadata: ["job": "\(jobID.prefix(26))", "token": "\(record.name)"])
                try await push(jobID: jobID, outbound: outbound)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The first client message, or nil when it is not text or does not arrive within `within`.
    private static func firstMessage(_ stream: AsyncStream<String?>, within: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await message in stream { return message }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: within)
                return nil
            }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }

    private struct TokenFrame: Decodable { var token: String }

    private func authenticate(_ text: String) async throws -> APITokenRecord? {
        guard let frame = try? JSONDecoder().decode(TokenFrame.self, from: Data(text.utf8)) else { return nil }
        return try await BearerTokenMiddleware.record(token: frame.token, database: database, now: now())
    }

    /// Polls the store until every run is final, sending what changed since the last round.
    private func push(jobID: String, outbound: WebSocketOutboundWriter) async throws {
        let id = jobID.uppercased()
        guard (6...26).contains(jobID.count), jobID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return try await fail("'\(jobID.prefix(40))' is not a job id", outbound: outbound)
        }
        var last: API.Job
        do {
            last = try await database.jobView(id: id)
        } catch let error as StoreError where error.code == .notFound || error.code == .ambiguous {
            return try await fail(error.message, outbound: outbound)
        }
        try await send(LiveFrame(type: "job", job: last), outbound: outbound)
        var after: Int64 = 0
        var settled = false
        let deadline = ContinuousClock.now + maxLifetime
        while ContinuousClock.now < deadline {
            after = try await sendOutput(jobID: id, after: after, outbound: outbound)
            // One more round after the end: chunks may still be landing after the last run turned final.
            if last.runs.allSatisfy(\.final) {
                if settled { break }
                settled = true
            }
            try await Task.sleep(for: pollInterval)
            let job = try await database.jobView(id: id)
            if job != last {
                last = job
                try await send(LiveFrame(type: "job", job: job), outbound: outbound)
            }
        }
        try await send(LiveFrame(type: "done"), outbound: outbound)
        try await outbound.close(.normalClosure, reason: nil)
    }

    /// Sends every chunk after `after` in bounded frames; answers the last sequence number sent.
    private func sendOutput(jobID: String, after: Int64, outbound: WebSocketOutboundWriter) async throws -> Int64 {
        var after = after
        while true {
            let chunks = try await database.output(jobID: jobID, agentID: nil, afterSeq: after, limit: Self.chunksPerFrame)
            guard let lastSeq = chunks.last?.seq else { return after }
            try await send(LiveFrame(type: "output", chunks: chunks.map {
                API.OutputChunk(seq: $0.seq ?? 0, agentID: $0.agentID, stream: $0.stream == .stderr ? "stderr" : "stdout",
                                offset: $0.offset, data: $0.data)
            }), outbound: outbound)
            after = lastSeq
            if chunks.count < Self.chunksPerFrame { return after }
        }
    }

    private func fail(_ message: String, outbound: WebSocketOutboundWriter) async throws {
        try await send(LiveFrame(type: "error", message: message), outbound: outbound)
        try await outbound.close(.policyViolation, reason: nil)
    }

    private func send(_ frame: LiveFrame, outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(String(decoding: try API.encoder().encode(frame), as: UTF8.self)))
    }
}

/// One server-to-client message of the live job socket; absent fields are omitted from the JSON.
struct LiveFrame: Codable, Sendable {
    var type: String
    var job: API.Job?
    var chunks: [API.OutputChunk]?
    var message: String?
}
