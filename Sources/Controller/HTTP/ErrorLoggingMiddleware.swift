import Hummingbird
import Logging

/// Logs failures that are not deliberate HTTP answers, so a 500 always leaves a reason in the log; a store
/// that cannot write (full or failing disk) is answered with 507 or 503 and its reason instead of a 500.
struct ErrorLoggingMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let metadata: Logger.Metadata = ["http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error": "\(error)"]
            if let storage = StoreError(storageFailure: error) {
                logger.warning("API request refused: the store cannot write", metadata: metadata)
                throw HTTPError(storage: storage)
            }
            logger.error("API request failed", metadata: metadata)
            throw HTTPError(.internalServerError, message: "internal error; see the controller log")
        }
    }
}
