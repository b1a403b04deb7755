import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls a Matrix homeserver's client-server API with the bot's access token.
///
/// Every answer is read up to a cap; HTTP 429 `M_LIMIT_EXCEEDED` is waited out (`retry_after_ms`, bounded);
/// `PUT`s, being idempotent by their transaction id, are also retried after a network failure.
/// The token travels only in the `Authorization` header and never appears in errors or logs.
public struct MatrixClient: Sendable {
    /// Where and as whom the client calls.
    public struct Configuration: Sendable {
        /// `https://matrix.example.org`; a trailing `/` is dropped.
        public var homeserver: String
        public var accessToken: String
        /// The longest wait a 429 may ask for that is waited out; a longer one fails at once.
        public var maxRetryWait: Duration
        /// Tries per call, the first included, when the homeserver rate-limits or (for `PUT`s) the network fails.
        public var maxAttempts: Int
        /// Time limit of one request, except `/sync`, which adds its long-poll timeout to it.
        public var timeout: Duration

        public init(
            homeserver: String, accessToken: String, maxRetryWait: Duration = .seconds(30), maxAttempts: Int = 4,
            timeout: Duration = .seconds(20)
        ) {
            self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
            self.accessToken = accessToken
            self.maxRetryWait = maxRetryWait
            self.maxAttempts = max(maxAttempts, 1)
            self.timeout = timeout
        }
    }

    /// Answers other than `/sync` are small; a huge one is a fault, not a message.
    static let maxResponseBytes = 1 << 20
    /// `/sync` carries timelines; the filter keeps them to messages and memberships, 50 per room.
    static let maxSyncResponseBytes = 16 << 20

    let configuration: Configuration
    let http: HTTPClient
    let health: ChatHealthMonitor?
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        configuration: Configuration, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.http = http
        self.health = health
        self.sleep = sleep
    }

    /// One call: `method path?query` with an optional JSON body; returns the answer's bytes.
    struct Call: Sendable {
        var method: HTTPMethod
        var path: String
        var query: [(String, String)] = []
        var body: Data?
        var timeout: Duration
        var maxBytes = MatrixClient.maxResponseBytes

        var url: String { query.isEmpty ? path : path + "?" + MatrixPath.query(query) }
    }

    /// Runs `call` with the retries described above, recording the outcome in the health monitor.
    func perform(_ call: Call) async throws -> Data {
        do {
            let data = try await withRetries(call)
            await health?.callSucceeded()
            return data
        } catch let error as MatrixError {
            await health?.record(error)
            throw error
        }
    }

    private func withRetries(_ call: Call) async throws -> Data {
        var attempt = 1
        while true {
            do {
                return try await once(call)
            } catch let error as MatrixError where attempt < configuration.maxAttempts {
                switch error.code {
                case .rateLimited:
                    let wait = error.retryAfter ?? .seconds(1)
                    guard wait <= configuration.maxRetryWait else { throw error }
                    try await sleep(wait)
                case .transport where call.method == .PUT:
                    try await sleep(.milliseconds(250 << min(attempt, 4)))
                default:
                    throw error
                }
                attempt += 1
            }
        }
    }

    private func once(_ call: Call) async throws -> Data {
        var request = HTTPClientRequest(url: configuration.homeserver + call.url)
        request.method = call.method
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.accessToken)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let headers: HTTPHeaders
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(call.timeout.nanoseconds))
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await response.body.collect(upTo: call.maxBytes)
        } catch is NIOTooManyBytesError {
            throw MatrixError(.responseTooLarge, "\(call.method) \(call.path): the answer exceeds \(call.maxBytes) bytes")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw MatrixError(.transport, "\(call.method) \(call.path) failed: \(error)")
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(status) else {
            throw MatrixErrorBody.error(status: status, body: data, retryAfterHeader: headers.first(name: "Retry-After"), call: "\(call.method) \(call.path)")
        }
        return data
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, from call: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw MatrixError(.malformedResponse, "\(call) answered JSON this adapter cannot read")
        }
    }
}

private extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension ChatHealthMonitor {
    /// Records a failed homeserver call; a refused token marks the connection unhealthy with the errcode.
    func record(_ error: MatrixError) {
        if error.code == .authFailed {
            authFailed(error.errcode ?? error.message)
        } else {
            callFailed(error.description)
        }
    }
}

/// Never the access token.
extension MatrixClient.Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "MatrixClient.Configuration(homeserver: \(homeserver))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["homeserver": homeserver]) }
}
