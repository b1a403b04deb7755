extension WebAssets {
    /// DOM helper, API client (bearer token from sessionStorage, 401 → sign-in), hash router, poll timers.
    static let coreJS = #"""
    'use strict';
    const TOKEN_KEY = 'steward.token';
    const app = { routes: [], generation: 0, flash: '' };

    // Builds an element; strings become text nodes, so nothing passed here is ever parsed as HTML.
    function h(tag, attrs, ...kids) {
      const el = document.createElement(tag);
      for (const [key, value] of Object.entries(attrs || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') el.className = value;
        else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
        else el.setAttribute(key, value === true ? '' : String(value));
      }
      for (const kid of kids.flat(Infinity)) {
        if (kid === null || kid === undefined || kid === false) continue;
        el.append(kid instanceof Node ? kid : String(kid));
      }
      return el;
    }

    function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

    class APIError extends Error {
      constructor(status, message) { super(message); this.status = status; }
    }

    async function api(path, options = {}) {
      const init = { method: options.method || 'GET', headers: { 'Authorization': 'Bearer ' + token() } };
      if (options.body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(options.body);
      }
      const response = await fetch('/api/v1' + path, init);
      if (response.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        app.flash = 'The controller refused the token (401). Sign in again.';
        go('#/signin');
        throw new APIError(401, 'unauthorized');
      }
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
      if (!response.ok) {
        const message = (data && data.error && (data.error.message || data.error)) || response.statusText;
        throw new APIError(response.status, String(message));
      }
      return data;
    }

    function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }
    function route(pattern, page) { app.routes.push({ pattern, page }); }

    // Every poll belongs to the page that started it; navigating bumps the generation and stops them.
    function every(ms, task) {
      const generation = app.generation;
      const tick = async () => {
        if (generation !== app.generation) return;
        let again = true;
        try { again = (await task()) !== false; } catch (error) { if (error.status === 401) return; showError(error); }
        if (again && generation === app.generation) setTimeout(tick, ms);
      };
      tick();
    }
    function current(generation) { return generation === app.generation; }
    // Redrawing unchanged data would replace the element that has keyboard focus; skip it.
    function changeDetector() {
      let last = null;
      return (value) => { const next = JSON.stringify(value); if (next === last) return false; last = next; return true; };
    }

    function showError(error) {
      const box = document.getElementById('error');
      if (box) { box.textContent = error.message || String(error); box.hidden = false; }
    }
    function errorBox() { return h('p', { id: 'error', class: 'error', role: 'alert', hidden: true }); }

    function render() {
      app.generation += 1;
      const main = document.getElementById('main');
      const hash = location.hash || '';
      const signedIn = token() !== '';
      document.getElementById('nav').hidden = !signedIn;
      if (!signedIn && hash !== '#/signin') { location.replace('#/signin'); return; }
      for (const { pattern, page } of app.routes) {
        const match = pattern.exec(hash);
        if (!match) continue;
        const args = match.slice(1).map(decodeURIComponent);
        main.replaceChildren();
        for (const link of document.querySelectorAll('#nav a')) {
          link.toggleAttribute('aria-current', hash.startsWith('#/' + link.dataset.route));
        }
        page(main, ...args);
        if (document.activeElement === document.body) main.focus({ preventScroll: true });
        return;
      }
      location.replace(signedIn ? '#/fleet' : '#/signin');
    }

    function start() {
      window.addEventListener('hashchange', render);
      document.getElementById('signout').addEventListener('click', () => {
        sessionStorage.removeItem(TOKEN_KEY);
        app.flash = 'Signed out.';
        go('#/signin');
      });
      render();
    }

    route(/^#\/signin$/, (main) => {
      const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true,
        spellcheck: 'false', 'aria-describedby': 'token-help' });
      const status = h('p', { class: 'error', role: 'alert', id: 'signin-message' }, app.flash);
      app.flash = '';
      const form = h('form', { class: 'card narrow', onsubmit: async (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        try { await api('/agents'); go('#/fleet'); }
        catch (error) { if (error.status !== 401) status.textContent = error.message; else status.textContent = app.flash; app.flash = ''; }
      } },
        h('h1', {}, 'Sign in'),
        h('label', { for: 'token' }, 'API token'),
        input,
        h('p', { id: 'token-help', class: 'muted' },
          'Paste an API token, e.g. the contents of admin.token in the controller state directory. ',
          'It is kept in this tab only (sessionStorage).'),
        h('button', { type: 'submit' }, 'Sign in'),
        status);
      main.append(form);
      input.focus();
    });

    // Small formatting helpers shared by the pages.
    function when(iso) {
      if (!iso) return '—';
      const date = new Date(iso);
      return isNaN(date) ? String(iso) : date.toLocaleString();
    }
    function ago(iso) {
      if (!iso) return 'never';
      const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
      if (!isFinite(seconds)) return String(iso);
      if (seconds < 5) return 'just now';
      if (seconds < 120) return seconds + ' s ago';
      if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
      return Math.round(seconds / 3600) + ' h ago';
    }
    function ms(value) {
      if (value === null || value === undefined) return '—';
      return value < 1000 ? value + ' ms' : (value / 1000).toFixed(value < 10000 ? 2 : 1) + ' s';
    }
    function badge(status) { return h('span', { class: 'badge s-' + String(status).replace(/[^a-z_]/g, '') }, status); }
    function table(headers, rows, attrs) {
      return h('div', { class: 'scroll' }, h('table', attrs || {},
        h('thead', {}, h('tr', {}, headers.map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, rows)));
    }
    function labelList(labels) {
      return Object.entries(labels || {}).sort().map(([k, v]) => h('span', { class: 'chip' }, k + '=' + v));
    }
    function parseJSON(text) { try { return text ? JSON.parse(text) : null; } catch (_) { return null; } }
    const FINAL_JOB = new Set(['finished', 'cancelled']);
    """#
}
