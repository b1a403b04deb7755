import Crypto
import Foundation

/// The canonical encoding of an audit row and the SHA-256 chain over it.
///
/// After a format tag, each field is a presence byte (0 for NULL, 1 for a value), a big-endian UInt64
/// byte count and the bytes; integers are 8 big-endian bytes and text is UTF-8. So no two different rows
/// encode alike: moving characters from one field into the next, or an empty string versus NULL, changes
/// the input. The stored details text is hashed as is (never re-serialised), so JSON formatting cannot
/// drift. Changing this encoding invalidates every stored chain: a new format needs a new tag.
enum AuditChain {
    static let hashLength = 32
    /// The `prev_hash` of the first row.
    static let genesisHash = Data(repeating: 0, count: hashLength)
    static let formatTag = "steward.audit.v1"

    static func hash(
        seq: Int64, id: String, at: Int64, kind: String, actor: String, room: String?, host: String?,
        jobID: String?, summary: String, details: String, prevHash: Data
    ) -> Data {
        var input = CanonicalEncoder()
        input.text(formatTag)
        input.integer(seq)
        input.text(id)
        input.integer(at)
        input.text(kind)
        input.text(actor)
        input.text(room)
        input.text(host)
        input.text(jobID)
        input.text(summary)
        input.text(details)
        input.field(Array(prevHash))
        return Data(SHA256.hash(data: input.bytes))
    }

    /// The hash `record` should carry given its other columns.
    static func hash(of record: AuditRecord) -> Data {
        hash(
            seq: record.seq, id: record.id, at: record.at.databaseMilliseconds, kind: record.kind.rawValue,
            actor: record.actor, room: record.room, host: record.host, jobID: record.jobID,
            summary: record.summary, details: record.detailsJSON, prevHash: record.prevHash)
    }

    private struct CanonicalEncoder {
        private(set) var bytes: [UInt8] = []

        mutating func field(_ value: [UInt8]?) {
            guard let value else {
                bytes.append(0)
                return
            }
            bytes.append(1)
            withUnsafeBytes(of: UInt64(value.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: value)
        }

        mutating func text(_ value: String?) {
            field(value.map { Array($0.utf8) })
        }

        mutating func integer(_ value: Int64) {
            field(withUnsafeBytes(of: value.bigEndian) { Array($0) })
        }
    }
}
