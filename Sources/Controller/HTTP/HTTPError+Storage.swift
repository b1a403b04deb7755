import Hummingbird

extension HTTPError {
    /// The answer when the store cannot write: 507 Insufficient Storage for a full disk, 503 for a failing
    /// one, each with the store's one-line reason (the CLI prints it as it is).
    init(storage failure: StoreError) {
        let status: HTTPResponse.Status = failure.code == .diskFull
            ? HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
            : .serviceUnavailable
        self.init(status, message: failure.message)
    }
}
