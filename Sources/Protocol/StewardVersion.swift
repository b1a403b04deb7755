/// The version of this Steward build, reported by agents and the controller.
public enum StewardVersion {
    public static let current = "0.1.0"
}
