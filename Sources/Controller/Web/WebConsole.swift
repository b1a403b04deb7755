import Hummingbird
import NIOCore

/// Serves the web console's static files (embedded in the binary, see `WebAssets`).
///
/// The files carry no secret and need no token: everything the console shows it fetches from the
/// bearer-protected `/api/v1` with the token the user pasted, so serving them unauthenticated
/// leaks nothing and lets the sign-in page load at all.
public enum WebConsole {
    /// Only our own origin may supply scripts, styles, images and API calls; no inline code, no framing.
    /// With no `'unsafe-inline'` anywhere, injected markup could not run even if an escape were missed.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// Mounts `GET /`, `/index.html`, `/app.js` and `/app.css` on `router`.
    public static func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in asset(WebAssets.indexHTML, type: "text/html; charset=utf-8") }
        router.get("index.html") { _, _ in asset(WebAssets.indexHTML, type: "text/html; charset=utf-8") }
        router.get("app.js") { _, _ in asset(WebAssets.appJS, type: "text/javascript; charset=utf-8") }
        router.get("app.css") { _, _ in asset(WebAssets.appCSS, type: "text/css; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        let headers: HTTPFields = [
            .contentType: type,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            // The assets change with the binary; revalidating each load keeps an upgraded console consistent.
            .cacheControl: "no-cache",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
