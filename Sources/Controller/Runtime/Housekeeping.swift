import Foundation
import Logging
import ServiceLifecycle

/// Periodic dispatcher work (delivery deadlines, agents that never came back), and the online agents'
/// `last_seen`, written for all of them in one go every `livenessInterval` (what a crash leaves behind).
///
/// A tick that fails is tried again at the next interval. While the disk is full (or failing) every tick
/// fails the same way: that is logged when it starts and when it ends, not once a second.
struct Housekeeping: Service, CustomStringConvertible {
    let dispatcher: Dispatcher
    let registry: AgentRegistry
    let database: StewardDatabase
    let interval: Duration
    var livenessInterval: Duration = .seconds(30)
    let logger: Logger

    var description: String { "Housekeeping" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var livenessWritten = ContinuousClock.now
                var outage = StorageOutage()
                while true {
                    try await Task.sleep(for: interval)
                    let failure: (any Error)?
                    do {
                        try await dispatcher.tick()
                        if ContinuousClock.now - livenessWritten >= livenessInterval {
                            livenessWritten = .now
                            try await database.touchAgents(ids: Array(await registry.onlineAgentIDs), lastSeen: Date())
                        }
                        failure = nil
                    } catch {
                        failure = error
                    }
                    report(outage.record(failure))
                }
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            return
        }
    }

    private func report(_ event: StorageOutage.Event) {
        switch event {
        case .nothingNew:
            break
        case .began(let storage):
            logger.error("housekeeping cannot write to the store; retrying quietly until it can", metadata: [
                "store.code": "\(storage.code)", "error": "\(storage.message)",
            ])
        case .ended:
            logger.notice("housekeeping writes to the store again")
        case .failed(let error):
            logger.error("housekeeping failed", metadata: ["error": "\(error)"])
        }
    }
}
