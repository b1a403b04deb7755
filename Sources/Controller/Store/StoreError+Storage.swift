import GRDB

extension StoreError {
    /// What the API, the CLI and the logs say when the database cannot grow.
    public static let diskFullMessage = "the controller's disk is full: new jobs are refused until space is freed"
    /// What they say when the disk fails a read or a write.
    public static let ioFailureMessage = "the controller's disk failed a read or write (I/O error): new jobs are refused until it works again"

    /// The storage failure behind `error`, or nil when it is not one: SQLite's `SQLITE_FULL` becomes
    /// ``Code/diskFull``, its `SQLITE_IOERR` family ``Code/ioFailure``, and a store error with one of those
    /// codes stays as it is.
    ///
    /// Store operations pass GRDB's errors through, so callers that answer a person (the API, chat) or
    /// keep running (housekeeping) classify what they caught with this instead of showing SQLite's words.
    public init?(storageFailure error: any Error) {
        switch error {
        case let error as StoreError where error.code == .diskFull || error.code == .ioFailure:
            self = error
        case let error as DatabaseError where error.resultCode == .SQLITE_FULL:
            self.init(.diskFull, Self.diskFullMessage)
        case let error as DatabaseError where error.resultCode == .SQLITE_IOERR:
            self.init(.ioFailure, Self.ioFailureMessage)
        default:
            return nil
        }
    }
}
