import Hummingbird

/// Request context of the admin API: carries who the bearer token belongs to.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Name of the API token that authenticated the request.
    public var tokenName: String?
    /// Role of that token: `admin` for the controller's own token.
    public var tokenRole: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Admin requests are small; a large body is an attack or a mistake.
    public var maxUploadSize: Int { 64 * 1024 }
}
