/// Follows a periodic task's outcomes to say what is worth logging: the start and the end of a storage
/// outage (a full or failing disk fails every try the same way), and every other failure.
struct StorageOutage: Sendable {
    /// What the latest outcome changed.
    enum Event: Sendable {
        /// Same as before: a success, or one more failure of an outage already reported.
        case nothingNew
        /// The store stopped taking writes.
        case began(StoreError)
        /// The store takes writes again.
        case ended
        /// A failure that is not a storage outage.
        case failed(any Error)
    }

    /// The outage under way, if any.
    private(set) var current: StoreError?

    /// Records one outcome: nil for a success, else the error the try threw.
    mutating func record(_ failure: (any Error)?) -> Event {
        guard let failure else {
            guard current != nil else { return .nothingNew }
            current = nil
            return .ended
        }
        guard let storage = StoreError(storageFailure: failure) else { return .failed(failure) }
        defer { current = storage }
        return current == nil ? .began(storage) : .nothingNew
    }
}
