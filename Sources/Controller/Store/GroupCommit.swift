import GRDB
import NIOConcurrencyHelpers

/// Group commit: writes that arrive while a transaction is being committed share the next one.
///
/// Every commit of a file database costs an fsync (about 4 ms on this class of disk), so one
/// transaction per agent message would cap the controller at a few hundred results a second however
/// fast the rest is. Here each write runs in its own savepoint inside one transaction per batch: a write
/// that throws rolls back alone and gets its own error, the others commit. No caller hears back before
/// its batch is durable, so an agent is never acknowledged for something a crash could still lose.
final class GroupCommit: Sendable {
    private struct Pending: Sendable {
        /// Runs the write in its savepoint and keeps its outcome for `finish`.
        let apply: @Sendable (Database) -> Void
        /// Called once the batch committed (nil) or failed as a whole (the error).
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
        var transactions = 0
        var writes = 0
    }

    private let state = NIOLockedValueBox(State())
    private let writer: any DatabaseWriter
    /// A bound on one transaction, so a flood of writes still commits (and answers) in steps.
    let maxBatch: Int

    init(writer: any DatabaseWriter, maxBatch: Int = 2_000) {
        precondition(maxBatch > 0)
        self.writer = writer
        self.maxBatch = maxBatch
    }

    /// Transactions committed and writes they carried so far (writes / transactions is the grouping gained).
    var totals: (transactions: Int, writes: Int) {
        state.withLockedValue { ($0.transactions, $0.writes) }
    }

    /// Runs `operation` in the next batch and returns its result once that batch is committed.
    func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = NIOLockedValueBox<Result<T, any Error>?>(nil)
            let pending = Pending(
                apply: { db in
                    let result = Result { () throws -> T in
                        var value: T?
                        try db.inSavepoint {
                            value = try operation(db)
                            return .commit
                        }
                        return value!
                    }
                    outcome.withLockedValue { $0 = result }
                },
                finish: { batchError in
                    if let batchError {
                        continuation.resume(throwing: batchError)
                    } else if let result = outcome.withLockedValue({ $0 }) {
                        continuation.resume(with: result)
                    } else {
                        continuation.resume(throwing: StoreError(.conflict, "a grouped write was not applied"))
                    }
                })
            let leads = state.withLockedValue { state -> Bool in
                state.queue.append(pending)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            // The writes must reach the disk even if the caller that started the batch is cancelled: the
            // batch runs on the writer's queue, not in a task of the caller's.
            if leads { commitNextBatch() }
        }
    }

    /// Commits the next batch on the writer's queue, then the one after from its completion (no task, no
    /// hop back and forth between the cooperative pool and the writer queue), until the queue is empty.
    private func commitNextBatch() {
        let batch = state.withLockedValue { state -> [Pending] in
            guard !state.queue.isEmpty else {
                state.draining = false
                return []
            }
            let count = min(maxBatch, state.queue.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
        guard !batch.isEmpty else { return }
        writer.asyncWrite({ db in
            for pending in batch {
                pending.apply(db)
                // SQLite rolls the whole transaction back by itself on some errors (disk full, I/O):
                // then the writes applied so far are gone, and none of the batch may report success.
                guard db.isInsideTransaction else {
                    throw StoreError(.conflict, "the database rolled the transaction back (disk full or I/O error?)")
                }
            }
        }, completion: { _, result in
            switch result {
            case .success:
                self.state.withLockedValue {
                    $0.transactions += 1
                    $0.writes += batch.count
                }
                for pending in batch { pending.finish(nil) }
            case .failure(let error):
                for pending in batch { pending.finish(error) }
            }
            self.commitNextBatch()
        })
    }
}
