import Foundation

/// The app's `tenant_access_token`, fetched once and shared until shortly before it expires.
///
/// Concurrent callers during a refresh wait for the same fetch rather than each asking Feishu. A token the
/// API calls invalid (`99991663`) is dropped with ``invalidate(_:)`` so the next call fetches a fresh one.
actor FeishuTenantToken {
    /// What the token endpoint issued: the token and its lifetime in seconds (`expire`, normally 7200).
    struct Issued: Sendable {
        var token: String
        var expire: Int
    }

    /// Refresh this long before Feishu's expiry, so a call never goes out with a token about to lapse.
    static let margin: TimeInterval = 300

    private var token: String?
    private var validUntil = Date.distantPast
    private var pending: Task<Issued, any Error>?
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    func current(fetch: @escaping @Sendable () async throws -> Issued) async throws -> String {
        if let token, now() < validUntil { return token }
        if let pending { return try await pending.value.token }
        let task = Task { try await fetch() }
        pending = task
        defer { pending = nil }
        let issued = try await task.value
        token = issued.token
        // Short-lived tokens (tests, or a clock far off) still get half their life.
        let lifetime = TimeInterval(issued.expire)
        validUntil = now().addingTimeInterval(lifetime > 2 * Self.margin ? lifetime - Self.margin : lifetime / 2)
        return issued.token
    }

    /// Forgets `token` (when it is still the current one), so the next call fetches another.
    func invalidate(_ token: String) {
        guard self.token == token else { return }
        self.token = nil
        validUntil = .distantPast
    }
}

/// Nothing: the token is a credential.
extension FeishuTenantToken: CustomReflectable {
    nonisolated var customMirror: Mirror { Mirror(self, children: [:]) }
}
