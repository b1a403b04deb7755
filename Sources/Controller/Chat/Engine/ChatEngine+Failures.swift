extension ChatEngine {
    /// The reply to a message whose handling failed. A full or failing disk is said in words a chat user can
    /// act on: every command is refused then, since none can be recorded (event dedupe, audit trail).
    static func failureText(_ error: any Error) -> String {
        guard let storage = StoreError(storageFailure: error) else { return "error: \(error)" }
        if storage.code == .diskFull {
            return "error: the controller's disk is full: new jobs and chat commands are refused until space is freed"
        }
        return "error: the controller's disk failed a read or write (I/O error): new jobs and chat commands are refused until it works again"
    }
}
