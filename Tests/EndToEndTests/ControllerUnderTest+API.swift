import Foundation

extension ControllerUnderTest {
    /// One answer of the controller's HTTP API.
    struct APIAnswer {
        var status: Int
        var body: Data

        /// The message of a Hummingbird error body (`{"error":{"message":...}}`).
        var errorMessage: String? {
            struct Envelope: Decodable {
                struct Inner: Decodable { var message: String }
                var error: Inner
            }
            return try? JSONDecoder().decode(Envelope.self, from: body).error.message
        }
    }

    /// A request to the API with the admin token, straight over a socket: cheap enough to poll several times a
    /// second, where each `steward` CLI call is a process start.
    func api(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> APIAnswer {
        let token = try String(contentsOfFile: "\(stateDir)/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = URL(string: apiURL)?.port else { throw HarnessError("no API port in \(apiURL)") }
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let socket = try TestSocket(port: port)
        defer { socket.close() }
        var head = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n"
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        try await socket.write(Array((head + "\r\n").utf8) + Array(body))
        var response: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while let chunk = try socket.readAvailable() {
            response += chunk
            if chunk.isEmpty {
                guard ContinuousClock.now < deadline else { throw HarnessError("no answer to \(method) \(path) within 30 s") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let separator = Array("\r\n\r\n".utf8)
        guard let end = response.indices.first(where: { response[$0...].starts(with: separator) }),
              let status = String(decoding: response.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ").dropFirst().first
                .flatMap({ Int($0) })
        else {
            throw HarnessError("not an HTTP answer: \(String(decoding: response.prefix(200), as: UTF8.self))")
        }
        return APIAnswer(status: status, body: Data(response[(end + separator.count)...]))
    }

    /// `online`, `offline` or `revoked` as the API says now; nil for an unknown agent.
    func agentState(_ name: String) async throws -> String? {
        let answer = try await api("GET", "/api/v1/agents")
        guard answer.status == 200 else { throw HarnessError("GET /api/v1/agents answered \(answer.status)") }
        return try JSONDecoder().decode([AgentState].self, from: answer.body).first { $0.name == name }?.state
    }

    /// Polls (every 200 ms) until the agent is in `state`; how long that took from `start`.
    func waitForAgent(_ name: String, _ state: String, since start: ContinuousClock.Instant, timeout: Duration) async throws -> Duration {
        while ContinuousClock.now - start < timeout {
            if try await agentState(name) == state { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessError("\(name) was not \(state) within \(timeout)")
    }

    private struct AgentState: Decodable {
        var name: String
        var state: String
    }
}
