import AsyncHTTPClient
import Foundation
import NIOCore

extension SlackWebClient {
    /// Where an uploaded file is shared.
    struct FileShare: Sendable {
        var channel: String
        /// The parent message's ts: the file is a reply in that thread.
        var threadTS: String?
        var title: String
        var initialComment: String?
    }

    /// Uploads `content` as a file and shares it, Slack's way since `files.upload` was retired:
    /// `files.getUploadURLExternal` (form `filename`, `length`) → `{upload_url, file_id}`; the bytes POSTed to
    /// `upload_url`; `files.completeUploadExternal` with the file id, channel, thread and comment. Returns the file id.
    func uploadFile(named filename: String, content: [UInt8], share: FileShare) async throws -> String {
        let ticket = try await call("files.getUploadURLExternal", form: [("filename", filename), ("length", String(content.count))])
        guard let uploadURL = ticket.uploadURL, let fileID = ticket.fileID, !fileID.isEmpty,
              let scheme = URL(string: uploadURL)?.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else {
            throw SlackError(.transport, "files.getUploadURLExternal answered without an upload_url and a file_id")
        }
        try await sendBytes(content, to: uploadURL, filename: filename)
        _ = try await call("files.completeUploadExternal", CompleteUpload(
            files: [.init(id: fileID, title: share.title)], channelID: share.channel, threadTS: share.threadTS,
            initialComment: share.initialComment))
        return fileID
    }

    /// The upload URL is pre-signed: it gets the bytes, never the bot token.
    private func sendBytes(_ content: [UInt8], to url: String, filename: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: content))
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: configuration.timeout)
            _ = try await response.body.collect(upTo: Self.maxResponseBytes)
            status = response.status.code
        } catch {
            let failure = SlackError(.transport, "uploading \(filename) failed: \(type(of: error))")
            await health?.callFailed(failure)
            throw failure
        }
        guard status == 200 else {
            let failure = SlackError(.transport, "uploading \(filename) answered HTTP \(status)")
            await health?.callFailed(failure)
            throw failure
        }
    }

    struct CompleteUpload: Encodable {
        struct File: Encodable {
            var id: String
            var title: String
        }

        var files: [File]
        var channelID: String
        var threadTS: String?
        var initialComment: String?

        enum CodingKeys: String, CodingKey {
            case files
            case channelID = "channel_id"
            case threadTS = "thread_ts"
            case initialComment = "initial_comment"
        }
    }
}
