/// Where the controller refused input: the `entry` label of `steward_rejections_total`.
///
/// Only the fixed values below exist, so the label's cardinality stays bounded.
public struct RejectionEntry: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The agent port: TLS, framing and the session handshake.
    public static let agentGateway = RejectionEntry("agent_gateway")
    /// Enrollment requests on the agent port (join token, name, CSR).
    public static let enrollment = RejectionEntry("enrollment")
    /// The HTTP API: bearer tokens, the live job socket, request heads.
    public static let api = RejectionEntry("api")
    /// The chat engine: policy denials and approvals refused.
    public static let chat = RejectionEntry("chat")
    /// Inbound Steward-style and Slack-compatible outgoing webhooks.
    public static let webhook = RejectionEntry("webhook")
    /// Slack's Events API request URL.
    public static let slack = RejectionEntry("slack")
    /// DingTalk robot callbacks.
    public static let dingtalk = RejectionEntry("dingtalk")
    /// Feishu's event subscription URL.
    public static let feishu = RejectionEntry("feishu")
    /// Lark's (Feishu abroad) event subscription URL.
    public static let lark = RejectionEntry("lark")

    /// The entry of a Feishu-family connection (`feishu` or `lark`).
    static func feishuFamily(_ platform: String) -> RejectionEntry {
        platform == lark.rawValue ? .lark : .feishu
    }
}

/// Why the controller refused input: the `reason` label of `steward_rejections_total`.
///
/// Short fixed snake_case words; never user input or secrets, so the label's cardinality stays bounded.
public struct RejectionReason: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // Agent port: TLS and framing.
    /// The TLS handshake failed (not TLS, wrong version, no shared cipher or ALPN, ...).
    public static let tlsHandshake = RejectionReason("tls_handshake")
    /// The client certificate does not chain to our CA (or is otherwise invalid).
    public static let unknownCA = RejectionReason("unknown_ca")
    /// A frame longer than the configured limit.
    public static let frameTooLarge = RejectionReason("frame_too_large")
    /// A frame that is empty, truncated or not a message we know.
    public static let malformedFrame = RejectionReason("malformed_frame")
    /// No message (or no finished TLS handshake) within the handshake timeout: a silent or trickling peer.
    public static let handshakeTimeout = RejectionReason("handshake_timeout")
    /// An agent silent for the heartbeat's silence limit.
    public static let heartbeatTimeout = RejectionReason("heartbeat_timeout")
    /// A peer that stopped reading: a write stuck for the silence limit.
    public static let writeTimeout = RejectionReason("write_timeout")
    /// An agent that fell behind the commands queued for it.
    public static let commandBacklog = RejectionReason("command_backlog")
    /// A connection past `max_agent_connections`, closed as soon as it was accepted.
    public static let tooManyConnections = RejectionReason("too_many_connections")

    // Agent port: the session.
    /// A session message (e.g. `Hello`) from a peer without a client certificate.
    public static let noClientCertificate = RejectionReason("no_client_certificate")
    /// A message the session does not allow at that point.
    public static let unexpectedMessage = RejectionReason("unexpected_message")
    /// No protocol version both sides speak.
    public static let versionMismatch = RejectionReason("version_mismatch")
    /// A certificate for an agent that is not (or no longer) in the store.
    public static let notEnrolled = RejectionReason("not_enrolled")
    /// A revoked agent.
    public static let revoked = RejectionReason("revoked")
    /// An older certificate of an agent that has since renewed or re-enrolled.
    public static let supersededCertificate = RejectionReason("superseded_certificate")
    /// The controller could not decide (a store error); logged as an error too.
    public static let internalError = RejectionReason("internal_error")

    // Enrollment.
    /// A join token that is malformed, unknown, expired or used up.
    public static let badToken = RejectionReason("bad_token")
    /// An agent name that is invalid or already taken.
    public static let badName = RejectionReason("bad_name")
    /// A certificate signing request we cannot sign.
    public static let badCSR = RejectionReason("bad_csr")
    /// Too many attempts from one peer (failed enrollments), or messages faster than a connection may send.
    public static let rateLimited = RejectionReason("rate_limited")

    // HTTP API.
    /// No `Authorization: Bearer` header.
    public static let missingToken = RejectionReason("missing_token")
    /// A client that did not finish its request head in time (slowloris).
    public static let headerTimeout = RejectionReason("header_timeout")

    // Webhooks and chat platforms.
    /// No signature, or no timestamp, on a request that must be signed.
    public static let unsigned = RejectionReason("unsigned")
    /// A signature that is malformed or does not match.
    public static let badSignature = RejectionReason("bad_signature")
    /// A signed timestamp too far from our clock (a replay window).
    public static let staleTimestamp = RejectionReason("stale_timestamp")
    /// A request that is not allowed unsigned, or whose content fails authentication (e.g. cannot be decrypted).
    public static let unauthenticated = RejectionReason("unauthenticated")

    // Chat.
    /// A chat identity the policy gives no role.
    public static let notInPolicy = RejectionReason("not_in_policy")
    /// A known identity asking for something its roles do not allow (there, or on those hosts).
    public static let denied = RejectionReason("denied")
    /// A requester approving their own request.
    public static let selfApproval = RejectionReason("self_approval")
    /// An approval or denial by someone without an approver role.
    public static let notAnApprover = RejectionReason("not_an_approver")
}
