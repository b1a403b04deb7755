import Hummingbird
import Logging

/// Logs failures that are not deliberate HTTP answers, so a 500 always leaves a reason in the log.
struct ErrorLoggingMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("API request failed", metadata: [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error": "\(error)",
            ])
            throw HTTPError(.internalServerError, message: "internal error; see the controller log")
        }
    }
}
