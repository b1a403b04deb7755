extension WebAssets {
    /// One stylesheet: system fonts, light/dark via `prefers-color-scheme`, tables scroll sideways on
    /// narrow screens instead of squeezing, visible focus rings for keyboard use.
    static let appCSS = #"""
    :root { --bg: #f6f7f9; --fg: #1d2330; --muted: #5b6475; --card: #fff; --line: #d9dde5; --accent: #2456c8;
      --ok: #1f7a3a; --bad: #b3261e; --warn: #8a5a00; --code: #eef0f4; color-scheme: light dark; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #14171c; --fg: #e6e9ef; --muted: #9aa3b2; --card: #1c2027; --line: #2f3540; --accent: #7aa2ff;
        --ok: #5cc27a; --bad: #ff7b72; --warn: #e3b341; --code: #232833; }
    }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
    a { color: var(--accent); }
    :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem; z-index: 2; }
    .skip:focus { left: .5rem; }
    .top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem;
      background: var(--card); border-bottom: 1px solid var(--line); }
    .brand { font-weight: 700; letter-spacing: .02em; }
    nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
    nav a { text-decoration: none; padding: .2rem 0; border-bottom: 2px solid transparent; }
    nav a[aria-current] { border-bottom-color: var(--accent); font-weight: 600; }
    main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
    main:focus { outline: none; }
    h1 { font-size: 1.4rem; margin: .2rem 0 .8rem; word-break: break-word; }
    h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
    h3 { font-size: .95rem; margin: .8rem 0 .3rem; }
    .muted { color: var(--muted); }
    .error { color: var(--bad); min-height: 1em; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.2rem; }
    .narrow { max-width: 28rem; margin: 2rem auto; }
    .narrow input { width: 100%; margin: .3rem 0 .4rem; }
    label { font-weight: 600; }
    input, select, button { font: inherit; color: inherit; border-radius: 6px; border: 1px solid var(--line);
      padding: .45rem .6rem; background: var(--card); min-height: 2.4rem; }
    button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; font-weight: 600; }
    button:disabled { opacity: .6; cursor: default; }
    button.link { background: none; color: var(--accent); border: none; padding: .2rem 0; min-height: 0; font-weight: 400; text-decoration: underline; }
    button.danger { background: var(--bad); border-color: var(--bad); margin: .3rem 0; }
    .scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: var(--card); }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
    tbody tr:last-child > * { border-bottom: none; }
    thead th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: var(--bg); }
    td.num { font-variant-numeric: tabular-nums; }
    .chip { display: inline-block; font-size: .8rem; padding: .05rem .45rem; margin: 0 .25rem .15rem 0;
      border: 1px solid var(--line); border-radius: 999px; background: var(--bg); }
    .badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: .05rem .5rem; border-radius: 999px;
      border: 1px solid currentColor; }
    .s-online, .s-succeeded, .s-finished { color: var(--ok); }
    .s-offline, .s-failed, .s-timed_out, .s-rejected, .s-undelivered, .s-lost, .s-revoked { color: var(--bad); }
    .s-running, .s-queued, .s-offered, .s-rebooting, .s-cancelled, .s-skipped { color: var(--warn); }
    code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88rem; }
    code { background: var(--code); padding: .05rem .3rem; border-radius: 4px; }
    pre { background: var(--code); padding: .6rem .8rem; border-radius: 6px; overflow-x: auto; margin: .3rem 0; }
    pre code { background: none; padding: 0; }
    pre.output { max-height: 24rem; overflow: auto; white-space: pre-wrap; word-break: break-all; }
    details summary { cursor: pointer; font-weight: 600; padding: .3rem 0; }
    pre.stderr { border-left: 3px solid var(--bad); }
    .inline-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
    .inline-form .field { display: flex; flex-direction: column; gap: .2rem; flex: 1 1 9rem; min-width: 0; }
    .inline-form input { min-width: 0; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 0 1.5rem; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .6rem; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; word-break: break-word; }
    #status-filter { margin: 0 0 .5rem .4rem; }
    .chat { display: flex; flex-direction: column; height: calc(100vh - 7rem); min-height: 20rem; }
    .messages { list-style: none; margin: 0; padding: .5rem; flex: 1; overflow-y: auto; background: var(--card);
      border: 1px solid var(--line); border-radius: 8px; }
    .msg { padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
    .msg:last-child { border-bottom: none; }
    .msg .meta { font-size: .8rem; color: var(--muted); }
    .msg .meta strong { color: var(--fg); }
    .msg .body p { margin: .15rem 0; white-space: pre-wrap; word-break: break-word; }
    .msg.mine .meta strong { color: var(--accent); }
    .composer { display: flex; gap: .5rem; margin-top: .5rem; }
    .composer input { flex: 1; min-width: 0; }
    @media (max-width: 600px) {
      body { font-size: 14px; }
      main { padding: .6rem; }
      th, td { padding: .35rem .5rem; }
      .chat { height: calc(100vh - 8rem); }
    }
    """#
}
