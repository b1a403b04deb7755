import StewardProtocol

/// What the spool holds for one job, as read at start-up or on a duplicate offer.
public enum SpoolEntryState: Sendable, Equatable {
    /// Accepted and not finished: running now, or the agent died while it ran.
    case pending(Wire.JobSpec?)
    /// The reboot command ran; the outcome depends on the boot id the agent comes back with.
    case rebooting(RebootMarker, Wire.JobSpec?)
    /// Final result stored, waiting for the controller's `ResultAck`.
    case finished(Wire.JobResult)
}
