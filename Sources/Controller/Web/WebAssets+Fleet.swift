extension WebAssets {
    /// `#/fleet`: the agents with online state, labels, last metrics; and a form to submit a job
    /// through `POST /api/v1/jobs` (the same words as the chat command, e.g. `metrics` on `all`).
    static let fleetJS = #"""
    route(/^#\/fleet$/, (main) => {
      const generation = app.generation;
      const body = h('tbody', {});
      const summary = h('p', { id: 'fleet-summary', class: 'muted', role: 'status' }, 'Loading agents…');
      const action = h('input', { id: 'job-action', type: 'text', value: 'metrics', required: true, autocomplete: 'off' });
      const target = h('input', { id: 'job-target', type: 'text', value: 'all', required: true, autocomplete: 'off' });
      const form = h('form', { id: 'job-form', class: 'inline-form', onsubmit: async (event) => {
        event.preventDefault();
        try {
          const job = await api('/jobs', { method: 'POST', body: {
            target: target.value.trim(), action: action.value.trim().split(/\s+/).filter(Boolean) } });
          go('#/jobs/' + encodeURIComponent(job.id));
        } catch (error) { if (error.status !== 401) showError(error); }
      } },
        h('label', { class: 'field' }, h('span', {}, 'Command'), action),
        h('label', { class: 'field' }, h('span', {}, 'Target'), target),
        h('button', { type: 'submit' }, 'Run'));

      main.append(h('h1', {}, 'Fleet'), errorBox(), summary,
        h('div', { class: 'scroll' }, h('table', { id: 'agents' },
          h('thead', {}, h('tr', {}, ['Agent', 'State', 'Labels', 'Version', 'Last seen', 'Load 1', 'CPU', 'Memory', 'Disk /']
            .map((title) => h('th', { scope: 'col' }, title)))),
          body)),
        h('h2', {}, 'Run a command'), form);

      const metricsByAgent = new Map();
      const draw = (agents) => {
        const online = agents.filter((a) => a.state === 'online').length;
        summary.textContent = agents.length + ' agents, ' + online + ' online';
        body.replaceChildren(...agents.map((agent) => {
          const known = metricsByAgent.get(agent.name);
          const m = known && known.metrics;
          const disk = m && rootDisk(m);
          return h('tr', { 'data-agent': agent.name, 'data-state': agent.state },
            h('th', { scope: 'row' }, h('a', { href: '#/hosts/' + encodeURIComponent(agent.name) }, agent.name)),
            h('td', {}, badge(agent.state)),
            h('td', {}, labelList(agent.labels)),
            h('td', {}, agent.version || '—'),
            h('td', {}, agent.state === 'online' ? 'now' : ago(agent.last_seen)),
            h('td', { class: 'num' }, m ? num(m.load1) : '—'),
            h('td', { class: 'num' }, m ? pct(m.cpu.busy_percent) : '—'),
            h('td', {}, m ? bytes(m.memory.used_bytes) + ' / ' + bytes(m.memory.total_bytes) : '—'),
            h('td', {}, disk ? pct(disk.used_percent) : '—'));
        }));
      };

      let first = true;
      const agentsChanged = changeDetector();
      every(3000, async () => {
        const agents = await api('/agents');
        if (!current(generation)) return false;
        agents.sort((a, b) => a.name.localeCompare(b.name));
        if (agentsChanged(agents.map((a) => [a.name, a.state, a.labels, a.version, a.state === 'online' ? '' : a.last_seen])) || first) draw(agents);
        if (first) {
          first = false;
          // Metrics cost two requests per host, so only the first 50 hosts are looked up, once per visit.
          await Promise.all(agents.slice(0, 50).map(async (agent) => {
            try { const found = await latestMetrics(agent.name); if (found) metricsByAgent.set(agent.name, found); }
            catch (error) { if (error.status === 401) throw error; }
          }));
          if (current(generation)) draw(agents);
        }
      });
    });
    """#

    /// `#/hosts/NAME`: state, labels, latest facts and metrics, and job history with a status filter.
    static let hostJS = #"""
    route(/^#\/hosts\/([^/]+)$/, (main, name) => {
      const generation = app.generation;
      const filter = h('select', { id: 'status-filter' }, h('option', { value: '' }, 'all statuses'));
      const historyBody = h('tbody', {});
      const more = h('button', { type: 'button', id: 'older', hidden: true }, 'Older jobs');
      const facts = h('div', { id: 'facts' });
      const metrics = h('div', { id: 'host-metrics' }, h('p', { class: 'muted' }, 'No metrics yet.'));
      const heading = h('h1', {}, 'Host ', h('code', {}, name));
      let entries = [];
      const hostChanged = changeDetector();

      const drawHistory = () => {
        const wanted = filter.value;
        const statuses = [...new Set(entries.map((e) => e.status))].sort();
        const options = [h('option', { value: '' }, 'all statuses'), ...statuses.map((s) => h('option', { value: s }, s))];
        filter.replaceChildren(...options);
        filter.value = statuses.includes(wanted) ? wanted : '';
        const shown = entries.filter((e) => !filter.value || e.status === filter.value);
        historyBody.replaceChildren(...(shown.length ? shown.map((e) => h('tr', { 'data-job': e.job_id },
          h('td', {}, h('a', { href: '#/jobs/' + encodeURIComponent(e.job_id) }, e.job_id)),
          h('td', {}, e.command), h('td', {}, badge(e.status)),
          h('td', { class: 'num' }, e.exit_code ?? '—'), h('td', { class: 'num' }, ms(e.duration_ms)),
          h('td', {}, e.requested_by), h('td', {}, when(e.created_at))))
          : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No jobs.'))]));
      };
      filter.addEventListener('change', drawHistory);
      more.addEventListener('click', async () => {
        const last = entries[entries.length - 1];
        const older = await api('/agents/' + encodeURIComponent(name) + '/history?limit=50&before=' + encodeURIComponent(last.job_id));
        entries = entries.concat(older);
        more.hidden = older.length < 50;
        drawHistory();
      });

      main.append(heading, errorBox(), h('p', { id: 'host-state' }),
        h('div', { class: 'grid' },
          h('section', {}, h('h2', {}, 'Latest metrics'), metrics),
          h('section', {}, h('h2', {}, 'Facts'), facts)),
        h('h2', {}, 'Job history'),
        h('label', { for: 'status-filter' }, 'Show '), filter,
        h('div', { class: 'scroll' }, h('table', { id: 'history' },
          h('thead', {}, h('tr', {}, ['Job', 'Command', 'Status', 'Exit', 'Duration', 'Asked by', 'When'].map((t) => h('th', { scope: 'col' }, t)))),
          historyBody)), more);

      every(5000, async () => {
        const [agent, history] = await Promise.all([
          api('/agents/' + encodeURIComponent(name)),
          api('/agents/' + encodeURIComponent(name) + '/history?limit=50')]);
        if (!current(generation)) return false;
        if (!hostChanged([agent.state, agent.labels, agent.version, agent.facts_json, history])) return;
        document.getElementById('host-state').replaceChildren(badge(agent.state), ' ', ...labelList(agent.labels),
          ' agent ', agent.version || '?', agent.state === 'online' ? '' : ', last seen ' + ago(agent.last_seen));
        const known = parseJSON(agent.facts_json);
        facts.replaceChildren(known ? table(['Fact', 'Value'], Object.entries(known).sort().map(([k, v]) =>
          h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, factText(k, v)))))
          : h('p', { class: 'muted' }, 'No facts reported yet.'));
        // Keep older pages the user loaded; refresh only the newest 50.
        const fresh = new Set(history.map((e) => e.job_id));
        entries = history.concat(entries.slice(50).filter((e) => !fresh.has(e.job_id)));
        if (entries.length === history.length) more.hidden = history.length < 50;
        drawHistory();
        const latest = await latestMetrics(name, history);
        if (latest && current(generation)) {
          metrics.replaceChildren(metricsList(latest.metrics),
            h('p', { class: 'muted' }, 'From job ', h('a', { href: '#/jobs/' + latest.job }, latest.job), ', ', when(latest.at)));
        }
      });
    });
    """#
}
