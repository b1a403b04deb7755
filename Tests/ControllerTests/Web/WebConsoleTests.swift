import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import StewardController

@Suite("Web console static files", .timeLimit(.minutes(1)))
struct WebConsoleTests {
    static let assets: [(path: String, type: String)] = [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "text/css; charset=utf-8"),
    ]

    @Test(arguments: assets)
    func servesEachFileWithoutATokenAndWithAStrictPolicy(asset: (path: String, type: String)) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let response = try await api.request(.get, asset.path, authorization: nil)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == asset.type)
        #expect(response.headers[.xContentTypeOptions] == "nosniff")
        let policy = try #require(response.headers[.contentSecurityPolicy])
        let directives = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(directives.contains("default-src 'self'"))
        #expect(directives.contains("script-src 'self'"))
        #expect(directives.contains("frame-ancestors 'none'"))
        #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
        #expect(response.body.readableBytes > 500)
    }

    @Test func theFilesDoNotOpenTheAPI() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        _ = try await api.request(.get, "/", authorization: nil)
        #expect(try await api.request(.get, "/api/v1/agents", authorization: nil).status == .unauthorized)
        #expect(try await api.request(.get, "/app.json", authorization: nil).status == .notFound)
    }

    @Test func thePageHasNoInlineScriptOrStyleThePolicyWouldBlock() {
        let html = WebAssets.indexHTML
        #expect(html.contains(#"<script src="/app.js" defer></script>"#))
        #expect(html.contains(#"<link rel="stylesheet" href="/app.css">"#))
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains("style=") && !html.contains("<style") && !html.contains(" onclick="))
    }

    /// Untrusted text (agent output, facts, chat) must never be parsed as markup.
    static let forbiddenSinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]

    @Test(arguments: forbiddenSinks)
    func theScriptNeverParsesTextAsMarkup(sink: String) {
        #expect(!WebAssets.appJS.contains(sink))
    }

    @Test func nothingIsLoadedFromAnotherOriginAndTheTokenStaysInTheTab() {
        for text in [WebAssets.indexHTML, WebAssets.appJS, WebAssets.appCSS] {
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"))
        }
        #expect(WebAssets.appJS.contains("sessionStorage"))
        #expect(!WebAssets.appJS.contains("localStorage"))
        #expect(!WebAssets.appJS.contains("document.cookie"))
    }

    @Test func everyPageTheNavigationLinksToHasARoute() {
        for page in ["signin", "chat", "fleet", "hosts", "jobs"] {
            #expect(WebAssets.appJS.contains(#"route(/^#\/\#(page)"#), "no route for #/\(page)")
        }
    }
}
