import Logging

extension MatrixConnection {
    /// What the sync loop knows between steps.
    struct SyncState: Sendable {
        /// Who the bot is, once `whoami` confirmed the token; nil before, and again after the token was refused.
        var bot: MatrixBotIdentity?
        /// The position to sync from; nil until loaded or after the homeserver refused it.
        var since: String?
        var cursorLoaded = false
        /// False until a sync succeeded since the last failure: that first sync does not wait, so health shows
        /// "connected" at once rather than after a quiet long-poll.
        var live = false
        var directRooms = MatrixDirectRooms()
    }

    /// Only what the bot reads: messages and memberships (for its own join), `m.direct`; no presence, receipts,
    /// typing or room state.
    static let syncFilter = #"{"account_data":{"types":["m.direct"]},"presence":{"types":[]},"room":{"account_data":{"types":[]},"ephemeral":{"types":[]},"state":{"types":[]},"timeline":{"limit":50,"types":["m.room.message","m.room.member"]}}}"#

    /// One step: identify the bot if needed, one `/sync`, joins for invites, the addressed messages handled,
    /// the new position saved.
    func syncOnce(_ state: inout SyncState, handler: @escaping @Sendable (ChatMessage, any ChatAdapter) async -> Void) async throws {
        let bot: MatrixBotIdentity
        if let known = state.bot {
            bot = known
        } else {
            bot = try await identify(&state)
            state.bot = bot
        }
        if !state.cursorLoaded {
            state.since = loadCursor()
            state.cursorLoaded = true
        }
        let initial = state.since == nil
        let response: MatrixSyncResponse
        do {
            response = try await client.sync(
                since: state.since, timeout: state.live ? settings.syncTimeout : .zero, filter: Self.syncFilter, user: bot.userID)
        } catch let error as MatrixError where state.since != nil && error.code != .authFailed && error.code != .rateLimited
            && (400..<500).contains(error.status ?? 0) {
            // The homeserver does not know our position (a reset server): start afresh rather than fail forever;
            // a fresh start skips history, so nothing old is run.
            logger.warning("the homeserver refused the saved sync position; starting from now", metadata: ["chat.connection": "\(name)"])
            state.since = nil
            throw error
        }
        if !state.live {
            logger.info("Matrix sync connected", metadata: [
                "chat.connection": "\(name)", "matrix.user": "\(bot.userID)", "matrix.resumed": "\(!initial)",
            ])
        }
        state.live = true
        await health.connected()
        if response.joined.contains(where: { $0.events.contains { $0.sender != bot.userID } }) { await health.eventReceived() }
        for event in response.accountData {
            if let direct = event.direct { state.directRooms = MatrixDirectRooms(direct) }
        }
        await accept(response.invites, bot: bot, state: &state)
        if initial {
            let skipped = response.joined.reduce(0) { $0 + $1.events.count }
            logger.info("first Matrix sync without a saved position: earlier messages are not run", metadata: [
                "chat.connection": "\(name)", "matrix.skipped_events": "\(skipped)",
            ])
        } else {
            let reader = MatrixMessageReader(
                bot: bot, rooms: Set(settings.rooms), directRooms: state.directRooms.rooms, maxAge: settings.maxEventAge)
            let adapter = self.adapter
            await withDiscardingTaskGroup { group in
                for message in reader.messages(in: response) {
                    group.addTask { await handler(message, adapter) }
                }
            }
        }
        state.since = response.nextBatch
        do {
            try cursor.save(response.nextBatch)
        } catch {
            // Keep listening: losing the file only costs a resume after a restart.
            logger.error("cannot save the Matrix sync position", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
        }
    }

    /// Checks the token with `whoami`, then learns the display name and direct chats, and joins listed rooms.
    func identify(_ state: inout SyncState) async throws -> MatrixBotIdentity {
        let user = try await client.whoami()
        guard user == settings.userID else {
            throw MatrixError(.authFailed, "the access token belongs to \(user), not to user_id \(settings.userID)")
        }
        let displayName = await bestEffort("profile") { try await client.displayName(of: user) } ?? nil
        state.directRooms = MatrixDirectRooms(await bestEffort("m.direct") { try await client.directRooms(of: user) } ?? [:])
        if !settings.rooms.isEmpty, let joined = await bestEffort("joined_rooms", { try await client.joinedRooms() }) {
            for room in settings.rooms where !joined.contains(room) {
                // Works for public rooms and pending invites; otherwise someone must invite the bot.
                _ = await bestEffort("join \(room)") { try await client.join(room: room) }
            }
        }
        return MatrixBotIdentity(userID: user, names: settings.names, displayName: displayName, prefix: settings.prefix)
    }

    /// Joins the rooms the settings accept invites to; marks direct-chat invites in `m.direct`.
    func accept(_ invites: [MatrixSyncResponse.Invite], bot: MatrixBotIdentity, state: inout SyncState) async {
        for invite in invites {
            let metadata: Logger.Metadata = [
                "chat.connection": "\(name)", "matrix.room": "\(invite.roomID)", "matrix.inviter": "\(invite.inviter ?? "?")",
            ]
            guard acceptsInvite(to: invite.roomID) else {
                logger.notice("Matrix invite ignored: the room is not in 'rooms' (and join_on_invite is off)", metadata: metadata)
                continue
            }
            guard await bestEffort("join \(invite.roomID)", { try await client.join(room: invite.roomID) }) != nil else { continue }
            logger.info("joined a Matrix room on invite", metadata: metadata)
            if invite.isDirect, let inviter = invite.inviter, state.directRooms.add(room: invite.roomID, with: inviter) {
                let direct = state.directRooms.byUser
                _ = await bestEffort("m.direct") { try await client.setDirectRooms(direct, of: bot.userID) }
            }
        }
    }

    /// The saved position; an unreadable file is logged and ignored (a fresh start skips history, never replays it).
    func loadCursor() -> String? {
        do {
            return try cursor.load()
        } catch {
            logger.warning("ignoring the saved Matrix sync position", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
            return nil
        }
    }

    /// Runs an optional step; a failure is logged and gives nil.
    func bestEffort<T: Sendable>(_ what: String, _ body: () async throws -> T) async -> T? {
        do {
            return try await body()
        } catch {
            logger.warning("Matrix \(what) failed", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
            return nil
        }
    }
}
