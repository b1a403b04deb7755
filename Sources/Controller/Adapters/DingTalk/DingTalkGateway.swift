import AsyncHTTPClient
import Foundation
import NIOCore
import StewardProtocol

/// DingTalk's Stream gateway: `POST /v1.0/gateway/connections/open` with the app's client id and secret gives a
/// WebSocket endpoint and a single-use ticket.
///
/// 401/403 or an error body (`{"code": ..., "message": ...}`) means the credentials were refused; 429 and 5xx are
/// passing trouble, retried by the caller with backoff. The secret is in the request body only and never logged.
struct DingTalkGateway: Sendable {
    /// Where to open the WebSocket.
    struct Ticket: Sendable, Hashable {
        var endpoint: String
        var ticket: String

        /// `endpoint?ticket=<URL-encoded ticket>`.
        var url: String {
            endpoint + (endpoint.contains("?") ? "&" : "?") + "ticket=" + DingTalkRobotClient.queryEncoded(ticket)
        }
    }

    /// `https://api.dingtalk.com/`; tests point it at a fake. Ends with `/`.
    let baseURL: String
    let clientID: String
    let clientSecret: String
    let http: HTTPClient
    let timeout: TimeAmount

    init(baseURL: String, clientID: String, clientSecret: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(15)) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.http = http
        self.timeout = timeout
    }

    func open() async throws -> Ticket {
        let body = OpenRequest(
            clientId: clientID, clientSecret: clientSecret,
            subscriptions: [.init(type: "CALLBACK", topic: DingTalkStreamFrame.robotTopic)], ua: "steward/\(StewardVersion.current)")
        var request = HTTPClientRequest(url: baseURL + "v1.0/gateway/connections/open")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw DingTalkError(.transport, "connections/open failed: \(type(of: error))")
        }
        let status = response.status.code
        let answer = try? JSONDecoder().decode(OpenAnswer.self, from: Data(bytes.readableBytesView))
        if status == 429 || status >= 500 {
            throw DingTalkError(.transport, "connections/open answered HTTP \(status)")
        }
        if status == 401 || status == 403 || answer?.code != nil {
            throw DingTalkError(.credentialsRefused, answer?.reason ?? "connections/open answered HTTP \(status)")
        }
        guard (200..<300).contains(status) else {
            throw DingTalkError(.transport, "connections/open answered HTTP \(status)")
        }
        guard let answer, let endpoint = answer.endpoint, let ticket = answer.ticket, !ticket.isEmpty, ticket.utf8.count <= 1024,
              let scheme = URL(string: endpoint)?.scheme?.lowercased(), scheme == "wss" || scheme == "ws"
        else {
            throw DingTalkError(.malformedResponse, "connections/open answered without a ws(s) endpoint and a ticket")
        }
        return Ticket(endpoint: endpoint, ticket: ticket)
    }

    struct OpenRequest: Encodable {
        struct Subscription: Encodable {
            var type: String
            var topic: String
        }

        var clientId: String
        var clientSecret: String
        var subscriptions: [Subscription]
        var ua: String
    }

    /// A ticket, or DingTalk's error body.
    struct OpenAnswer: Decodable {
        var endpoint: String?
        var ticket: String?
        var code: String?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case endpoint, ticket, code, message
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            endpoint = try? container.decodeIfPresent(String.self, forKey: .endpoint)
            ticket = try? container.decodeIfPresent(String.self, forKey: .ticket)
            // DingTalk's codes are strings ("InvalidAuthentication"); older APIs used numbers.
            code = (try? container.decodeIfPresent(String.self, forKey: .code))
                ?? (try? container.decodeIfPresent(Int.self, forKey: .code)).map { String($0) }
            message = try? container.decodeIfPresent(String.self, forKey: .message)
        }

        var reason: String? {
            guard let code else { return nil }
            return String((message.map { "\(code): \($0)" } ?? code).prefix(300))
        }
    }
}
