extension ChatHealthMonitor {
    /// Records a failed Web API call; an auth error (`invalid_auth`, `token_revoked`) marks the connection unhealthy.
    func callFailed(_ error: SlackError) {
        if error.code == .authFailed {
            authFailed(error.slackError ?? error.message)
        } else {
            callFailed(error.description)
        }
    }
}
