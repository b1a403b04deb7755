import Crypto
import Foundation

/// Which message stands for a posted reply, how many edits it has taken, and what it shows.
///
/// Feishu allows 20 edits of a message (and none after a time the tenant's admin sets), so none is spent on
/// text the message already shows. The engine keeps editing the message it posted first; once that message
/// is spent or refused, a fresh message takes over and later edits go to it. Bounded: the oldest entries
/// are forgotten first.
actor FeishuEditBook {
    struct Entry: Sendable, Equatable {
        /// The message edits now go to.
        var target: String
        var edits: Int
        /// A digest of the text the target shows (digests, so a thousand long replies stay small).
        var shown: SHA256.Digest?
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    init(capacity: Int = 1024) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The message that edits of `original` go to, the edits it has taken and what it shows.
    func entry(for original: String) -> Entry {
        entries[original] ?? Entry(target: original, edits: 0, shown: nil)
    }

    /// Whether `original` (or the message standing for it) already shows `text`.
    func shows(_ text: String, for original: String) -> Bool {
        entries[original]?.shown == Self.digest(text)
    }

    /// A message was posted showing `text`.
    func posted(_ id: String, showing text: String) {
        store(Entry(target: id, edits: 0, shown: Self.digest(text)), for: id)
    }

    func recordEdit(of original: String, showing text: String) {
        var entry = entry(for: original)
        entry.edits += 1
        entry.shown = Self.digest(text)
        store(entry, for: original)
    }

    /// `replacement` (a fresh, unedited message showing `text`) now stands for `original`.
    func replace(_ original: String, with replacement: String, showing text: String) {
        store(Entry(target: replacement, edits: 0, shown: Self.digest(text)), for: original)
    }

    private func store(_ entry: Entry, for original: String) {
        if entries.updateValue(entry, forKey: original) == nil {
            order.append(original)
            if order.count > capacity { entries[order.removeFirst()] = nil }
        }
    }

    static func digest(_ text: String) -> SHA256.Digest {
        SHA256.hash(data: Data(text.utf8))
    }
}
