import Foundation
@testable import StewardController

/// Reads sample values back out of Prometheus' text exposition format.
enum PrometheusSamples {
    /// The value of the series `name{labels}` (labels in emission order), 0 when it has not been created yet.
    static func value(in text: String, _ name: String, _ labels: [(String, String)] = []) -> Double {
        let series = labels.isEmpty ? name : name + "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? .nan
        }
        return 0
    }

    /// `steward_rejections_total{entry, reason}` in `text`.
    static func rejections(in text: String, _ entry: RejectionEntry, _ reason: RejectionReason) -> Double {
        value(in: text, "steward_rejections_total", [("entry", entry.rawValue), ("reason", reason.rawValue)])
    }
}

extension ControllerMetrics {
    /// The current `steward_rejections_total{entry, reason}`, read from the emitted text.
    func rejections(_ entry: RejectionEntry, _ reason: RejectionReason) -> Double {
        PrometheusSamples.rejections(in: registry.emitToString(), entry, reason)
    }
}
