/// The web console's files, embedded so the controller binary carries its own UI (no resource bundle,
/// no build step). Plain HTML, CSS and JavaScript; the script only ever builds the page with
/// `textContent` and `createElement`, never `innerHTML`, so text from agents, jobs or chat cannot
/// become markup. Each part lives in its own `WebAssets+*.swift` file.
enum WebAssets {
    /// The scripts in load order: the core defines helpers and the router the pages register with.
    static let appJS = [coreJS, markdownJS, metricsJS, chatJS, fleetJS, hostJS, jobJS, startJS].joined(separator: "\n")

    static let indexHTML = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Steward console</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/app.css">
    <script src="/app.js" defer></script>
    </head>
    <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <span class="brand">Steward</span>
      <nav id="nav" aria-label="Main" hidden>
        <a href="#/chat" data-route="chat">Chat</a>
        <a href="#/fleet" data-route="fleet">Fleet</a>
        <button type="button" id="signout" class="link">Sign out</button>
      </nav>
    </header>
    <main id="main" tabindex="-1"><p class="muted">Loading…</p></main>
    <noscript><p>The Steward console needs JavaScript.</p></noscript>
    </body>
    </html>
    """#

    /// Starts the router once every page has registered.
    static let startJS = #"""
    document.addEventListener('DOMContentLoaded', start);
    """#
}
