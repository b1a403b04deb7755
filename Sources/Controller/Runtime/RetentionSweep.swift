import Foundation
import Logging
import ServiceLifecycle

/// Deletes what `job_retention` and `output_retention` no longer keep: at start-up, then every
/// `interval`. The audit trail is append-only and never swept.
struct RetentionSweep: Service, CustomStringConvertible {
    let database: StewardDatabase
    let jobRetention: Duration?
    let outputRetention: Duration?
    var interval: Duration = .seconds(3_600)
    let logger: Logger
    var now: @Sendable () -> Date = { Date() }

    var description: String { "RetentionSweep" }

    /// What one sweep deleted.
    struct Swept: Sendable, Hashable {
        var jobs: Int
        var outputChunks: Int
    }

    func run() async throws {
        guard jobRetention != nil || outputRetention != nil else {
            // Nothing to do; a service that returns would stop the group, so wait for shutdown instead.
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                var outputSweptUntil: Date? = nil
                while true {
                    do {
                        let started = now()
                        let swept = try await sweep(outputSince: outputSweptUntil)
                        outputSweptUntil = outputRetention.map { started.addingTimeInterval(-Self.seconds($0)) }
                        if swept.jobs > 0 || swept.outputChunks > 0 {
                            logger.info("retention sweep", metadata: [
                                "deleted.jobs": "\(swept.jobs)", "deleted.output_chunks": "\(swept.outputChunks)",
                            ])
                        }
                    } catch {
                        logger.error("retention sweep failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            return
        }
    }

    /// One sweep; output is looked at only for jobs created since `outputSince` (where the last sweep ended).
    func sweep(outputSince: Date? = nil) async throws -> Swept {
        let current = now()
        var swept = Swept(jobs: 0, outputChunks: 0)
        if let jobRetention {
            swept.jobs = try await database.pruneJobs(olderThan: current.addingTimeInterval(-Self.seconds(jobRetention)))
        }
        if let outputRetention {
            swept.outputChunks = try await database.pruneOutput(
                olderThan: current.addingTimeInterval(-Self.seconds(outputRetention)), since: outputSince)
        }
        return swept
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
