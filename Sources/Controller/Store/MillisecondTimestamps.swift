import Foundation
import GRDB

/// Records whose `Date` columns are stored as INTEGER milliseconds since the Unix epoch.
///
/// GRDB's built-in `.millisecondsSince1970` floors on encode, so a date read back and saved again
/// can drift by a millisecond through floating-point error; rounding to nearest is stable.
public protocol MillisecondTimestamps: EncodableRecord, FetchableRecord {}

extension MillisecondTimestamps {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { date in date.databaseMilliseconds }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in Int64.fromDatabaseValue(value).map(Date.init(databaseMilliseconds:)) }
    }
}

extension Date {
    /// This date as whole milliseconds since 1970, the representation of every time column.
    var databaseMilliseconds: Int64 {
        let value = (timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return 0 }
        return Int64(max(min(value, Double(Int64.max / 2)), Double(Int64.min / 2)))
    }

    init(databaseMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
