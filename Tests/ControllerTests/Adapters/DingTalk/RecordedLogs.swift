import Logging
import Synchronization

/// A logger for tests that keeps every entry, to check what was logged (a reason) and what never was (a secret).
final class RecordedLogs: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and its metadata, as one searchable line.
        var line: String { ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private let store = Mutex<[Entry]>([])

    var entries: [Entry] { store.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test.recorded") { _ in Handler(sink: self) }
    }

    func append(_ entry: Entry) {
        store.withLock { $0.append(entry) }
    }

    struct Handler: LogHandler {
        let sink: RecordedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            sink.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
