import Foundation

extension MatrixClient {
    /// `GET /account/whoami`: whom the access token belongs to.
    public func whoami() async throws -> String {
        struct Answer: Decodable { var user_id: String }
        let call = Call(method: .GET, path: MatrixPath.whoami, timeout: configuration.timeout)
        let answer = try decode(Answer.self, try await perform(call), from: "whoami")
        return answer.user_id
    }

    /// `GET /profile/{userId}/displayname`; nil when the user has none.
    public func displayName(of user: String) async throws -> String? {
        struct Answer: Decodable { var displayname: String? }
        let call = Call(method: .GET, path: MatrixPath.displayName(user: user), timeout: configuration.timeout)
        do {
            return try decode(Answer.self, try await perform(call), from: "profile").displayname
        } catch let error as MatrixError where error.errcode == "M_NOT_FOUND" {
            return nil
        }
    }

    /// The user's `m.direct` account data (`{user id: [room ids]}`); empty when it was never set.
    public func directRooms(of user: String) async throws -> [String: [String]] {
        let call = Call(method: .GET, path: MatrixPath.accountData(user: user, type: "m.direct"), timeout: configuration.timeout)
        do {
            return MatrixDirectRooms.parse(try await perform(call))
        } catch let error as MatrixError where error.errcode == "M_NOT_FOUND" {
            return [:]
        }
    }

    /// Replaces the user's `m.direct` account data.
    public func setDirectRooms(_ rooms: [String: [String]], of user: String) async throws {
        let body = try JSONEncoder().encode(rooms)
        let call = Call(method: .PUT, path: MatrixPath.accountData(user: user, type: "m.direct"), body: body, timeout: configuration.timeout)
        _ = try await perform(call)
    }

    /// `GET /joined_rooms`: the rooms the bot is in.
    public func joinedRooms() async throws -> [String] {
        struct Answer: Decodable { var joined_rooms: [String] }
        let call = Call(method: .GET, path: MatrixPath.joinedRooms, timeout: configuration.timeout)
        return try decode(Answer.self, try await perform(call), from: "joined_rooms").joined_rooms
    }

    /// `POST /join/{roomId}`: accepts an invite (or joins a public room).
    public func join(room: String) async throws {
        let call = Call(method: .POST, path: MatrixPath.join(room: room), body: Data("{}".utf8), timeout: configuration.timeout)
        _ = try await perform(call)
    }

    /// `PUT /rooms/{roomId}/send/m.room.message/{txnId}`; the same `transactionID` never sends twice.
    /// Returns the event id.
    public func send(_ content: MatrixMessageContent, room: String, transactionID: String) async throws -> String {
        struct Answer: Decodable { var event_id: String }
        let call = Call(
            method: .PUT, path: MatrixPath.send(room: room, eventType: "m.room.message", transactionID: transactionID),
            body: try content.encoded(), timeout: configuration.timeout)
        return try decode(Answer.self, try await perform(call), from: "send").event_id
    }

    /// `GET /sync`: long-polls for up to `timeout` (zero for an immediate answer) with `filter`, from `since`;
    /// `user` is the bot, whose invites are picked out.
    public func sync(since: String?, timeout: Duration, filter: String, user: String) async throws -> MatrixSyncResponse {
        var query = [("filter", filter), ("timeout", "\(timeout.components.seconds * 1000)")]
        if let since { query.append(("since", since)) }
        let call = Call(
            method: .GET, path: MatrixPath.sync, query: query, timeout: configuration.timeout + timeout,
            maxBytes: Self.maxSyncResponseBytes)
        let data = try await withoutHealthRecording(call)
        return try MatrixSyncResponse.parse(data, botUserID: user)
    }

    /// The sync loop reports its own health (connected, disconnected, refused), so a long-poll is not a "call".
    private func withoutHealthRecording(_ call: Call) async throws -> Data {
        try await MatrixClient(configuration: configuration, http: http, health: nil, sleep: sleep).perform(call)
    }
}
