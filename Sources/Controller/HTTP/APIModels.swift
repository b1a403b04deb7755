import Foundation

/// Wire shapes of the HTTP admin API (snake_case JSON), shared by the server and the CLI client.
public enum API {
    public struct Agent: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var state: String  // online, offline, revoked
        public var labels: [String: String]
        public var version: String?
        public var bootID: String?
        public var lastSeen: Date?
        public var enrolledAt: Date
        public var certificateExpires: Date?
        public var factsJSON: String?

        enum CodingKeys: String, CodingKey {
            case id, name, state, labels, version
            case bootID = "boot_id"
            case lastSeen = "last_seen"
            case enrolledAt = "enrolled_at"
            case certificateExpires = "certificate_expires"
            case factsJSON = "facts_json"
        }
    }

    public struct CreateToken: Codable, Sendable {
        public var labels: [String: String]
        public var ttlSeconds: Int
        public var uses: Int

        public init(labels: [String: String], ttlSeconds: Int, uses: Int) {
            self.labels = labels
            self.ttlSeconds = ttlSeconds
            self.uses = uses
        }

        enum CodingKeys: String, CodingKey {
            case labels, uses
            case ttlSeconds = "ttl_seconds"
        }
    }

    public struct CreatedToken: Codable, Sendable {
        public var token: String
        public var command: String
        public var expiresAt: Date
        public var uses: Int
        public var labels: [String: String]

        enum CodingKeys: String, CodingKey {
            case token, command, uses, labels
            case expiresAt = "expires_at"
        }
    }

    public struct SubmitJob: Codable, Sendable {
        public var target: String
        public var action: [String]
        public var batch: String?
        public var maxErrors: String?
        public var timeoutSeconds: Int?
        public var deliverySeconds: Int?
        public var onBehalfOf: String?
        /// Where the request comes from: cli, api or demo.
        public var source: String?

        public init(target: String, action: [String], batch: String? = nil, maxErrors: String? = nil,
                    timeoutSeconds: Int? = nil, deliverySeconds: Int? = nil, onBehalfOf: String? = nil, source: String? = nil) {
            self.source = source
            self.target = target
            self.action = action
            self.batch = batch
            self.maxErrors = maxErrors
            self.timeoutSeconds = timeoutSeconds
            self.deliverySeconds = deliverySeconds
            self.onBehalfOf = onBehalfOf
        }

        enum CodingKeys: String, CodingKey {
            case target, action, batch, source
            case maxErrors = "max_errors"
            case timeoutSeconds = "timeout_seconds"
            case deliverySeconds = "delivery_seconds"
            case onBehalfOf = "on_behalf_of"
        }
    }

    public struct Run: Codable, Sendable, Hashable {
        public var agentID: String
        public var agentName: String
        public var status: String
        public var final: Bool
        public var exitCode: Int?
        public var signal: Int?
        public var error: String?
        public var startedAt: Date?
        public var finishedAt: Date?
        public var durationMs: Int64?
        public var stdoutBytes: Int64
        public var stderrBytes: Int64
        public var truncated: Bool
        public var structuredJSON: String?

        enum CodingKeys: String, CodingKey {
            case status, final, signal, error, truncated
            case agentID = "agent_id"
            case agentName = "agent_name"
            case exitCode = "exit_code"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case durationMs = "duration_ms"
            case stdoutBytes = "stdout_bytes"
            case stderrBytes = "stderr_bytes"
            case structuredJSON = "structured_json"
        }
    }

    public struct Job: Codable, Sendable, Hashable {
        public var id: String
        public var createdAt: Date
        public var requestedBy: String
        public var source: String
        public var command: String
        public var target: String
        public var status: String
        public var finishedAt: Date?
        public var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case id, source, command, target, status, runs
            case createdAt = "created_at"
            case requestedBy = "requested_by"
            case finishedAt = "finished_at"
        }
    }

    public struct OutputChunk: Codable, Sendable, Hashable {
        public var seq: Int64
        public var agentID: String
        public var stream: String
        public var offset: Int64
        public var data: Data

        enum CodingKeys: String, CodingKey {
            case seq, stream, offset, data
            case agentID = "agent_id"
        }
    }

    public struct OutputPage: Codable, Sendable {
        public var chunks: [OutputChunk]
        public var next: Int64
    }

    public struct HistoryEntry: Codable, Sendable, Hashable {
        public var jobID: String
        public var createdAt: Date
        public var requestedBy: String
        public var command: String
        public var status: String
        public var exitCode: Int?
        public var durationMs: Int64?

        enum CodingKeys: String, CodingKey {
            case command, status
            case jobID = "job_id"
            case createdAt = "created_at"
            case requestedBy = "requested_by"
            case exitCode = "exit_code"
            case durationMs = "duration_ms"
        }
    }

    public struct Health: Codable, Sendable {
        /// `ok`, or `degraded` when a chat connection is unhealthy.
        public var status: String
        public var agentsOnline: Int
        public var version: String
        public var chat: [ChatConnectionHealth]?

        enum CodingKeys: String, CodingKey {
            case status, version, chat
            case agentsOnline = "agents_online"
        }
    }

    /// One chat connection in `/healthz`.
    public struct ChatConnectionHealth: Codable, Sendable, Hashable {
        public var name: String
        public var platform: String
        public var healthy: Bool
        /// `healthy`, or what is wrong (`credentials refused: invalid_auth`, `disconnected: ...`).
        public var summary: String
        public var connected: Bool
        public var lastEventAt: Date?
        public var authFailure: String?
        public var rejectedRequests: Int
        public var reconnects: Int

        public init(_ health: ChatHealth) {
            name = health.name
            platform = health.platform
            healthy = health.isHealthy
            summary = health.summary
            connected = health.connected
            lastEventAt = health.lastEventAt
            authFailure = health.authFailure
            rejectedRequests = health.rejectedRequests
            reconnects = health.reconnects
        }

        enum CodingKeys: String, CodingKey {
            case name, platform, healthy, summary, connected
            case lastEventAt = "last_event_at"
            case authFailure = "auth_failure"
            case rejectedRequests = "rejected_requests"
            case reconnects
        }
    }

    public struct ErrorBody: Codable, Sendable {
        public var error: String
    }

    /// JSON coders with the API's conventions (ISO 8601 dates).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
