extension WebAssets {
    /// `#/jobs/ID`: per-host results, a metrics table when the runs returned metrics, and live output.
    /// Output arrives over the live job WebSocket (`/api/v1/jobs/ID/live`, token in the first frame, never in
    /// the URL); if the socket cannot open or drops before `done`, the page falls back to polling every 500 ms.
    /// Chunks are decoded per host and stream so multi-byte characters split across chunks survive.
    static let jobJS = #"""
    route(/^#\/jobs\/([0-9A-Za-z]+)$/, (main, id) => {
      const generation = app.generation;
      const path = '/jobs/' + encodeURIComponent(id);
      const heading = h('h1', {}, 'Job ', h('code', {}, id));
      const info = h('dl', { id: 'job-info', class: 'facts' });
      const runsBody = h('tbody', {});
      const metricsBox = h('div', { id: 'job-metrics' });
      const outputBox = h('div', { id: 'output' }, h('p', { class: 'muted' }, 'No output yet.'));
      const structuredBox = h('div', { id: 'structured' });
      const cancel = h('button', { type: 'button', id: 'cancel', class: 'danger', hidden: true }, 'Cancel job');
      const streams = new Map();   // agent_id/stream → { pre, decoder }
      const names = new Map();     // agent_id → agent name
      let next = 0;
      let finished = false;
      const jobChanged = changeDetector();

      cancel.addEventListener('click', async () => {
        if (!confirm('Cancel job ' + id + '?')) return;
        try { await api(path + '/cancel', { method: 'POST' }); } catch (error) { if (error.status !== 401) showError(error); }
      });

      main.append(heading, errorBox(), info, cancel,
        h('h2', {}, 'Results per host'),
        h('div', { class: 'scroll' }, h('table', { id: 'runs' },
          h('thead', {}, h('tr', {}, ['Host', 'Status', 'Exit', 'Duration', 'Output', 'Error'].map((t) => h('th', { scope: 'col' }, t)))),
          runsBody)),
        metricsBox, h('h2', {}, 'Output'), outputBox, structuredBox);

      const drawJob = (job) => {
        for (const run of job.runs) names.set(run.agent_id, run.agent_name);
        const pairs = [['Command', h('code', {}, job.command)], ['Target', job.target], ['Status', badge(job.status)],
          ['Asked by', job.requested_by + ' (' + job.source + ')'], ['Created', when(job.created_at)], ['Finished', when(job.finished_at)]];
        info.replaceChildren(...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
        cancel.hidden = FINAL_JOB.has(job.status);
        runsBody.replaceChildren(...job.runs.map((run) => h('tr', { 'data-host': run.agent_name, 'data-status': run.status },
          h('th', { scope: 'row' }, h('a', { href: '#/hosts/' + encodeURIComponent(run.agent_name) }, run.agent_name)),
          h('td', {}, badge(run.status)),
          h('td', { class: 'num' }, run.exit_code ?? (run.signal ? 'signal ' + run.signal : '—')),
          h('td', { class: 'num' }, ms(run.duration_ms)),
          h('td', {}, bytes(run.stdout_bytes + run.stderr_bytes) + (run.truncated ? ' (truncated)' : '')),
          h('td', {}, run.error || ''))));
        const rows = job.runs.map((run) => ({ host: run.agent_name, metrics: parseJSON(run.structured_json) }))
          .filter((row) => isMetrics(row.metrics));
        metricsBox.replaceChildren(...(rows.length ? [h('h2', {}, 'Metrics'), metricsTable(rows, 'metrics-table')] : []));
        // Structured results (metrics, facts) have no stdout: show their JSON as that host's output.
        structuredBox.replaceChildren(...job.runs.filter((run) => run.structured_json).map((run) =>
          h('section', { class: 'stream', 'data-host': run.agent_name },
            h('details', {}, h('summary', {}, run.agent_name + ' — structured result'),
              h('pre', { class: 'output', tabindex: 0 }, JSON.stringify(parseJSON(run.structured_json), null, 2) || run.structured_json)))));
        if (!streams.size && job.runs.some((run) => run.structured_json)) outputBox.replaceChildren();
      };

      const sink = (chunk) => {
        const key = chunk.agent_id + '/' + chunk.stream;
        let entry = streams.get(key);
        if (!entry) {
          if (!streams.size) outputBox.replaceChildren();
          const pre = h('pre', { class: 'output ' + chunk.stream, tabindex: 0 });
          const title = (names.get(chunk.agent_id) || chunk.agent_id) + (chunk.stream === 'stderr' ? ' (stderr)' : '');
          outputBox.append(h('section', { class: 'stream', 'data-host': names.get(chunk.agent_id) || chunk.agent_id },
            h('h3', {}, title), pre));
          entry = { pre, decoder: new TextDecoder('utf-8') };
          streams.set(key, entry);
        }
        const raw = atob(chunk.data);
        const data = Uint8Array.from(raw, (c) => c.charCodeAt(0));
        entry.pre.append(entry.decoder.decode(data, { stream: true }));
      };

      const drain = async () => {
        for (;;) {
          const page = await api(path + '/output?after=' + next + '&limit=500');
          if (!current(generation)) return;
          for (const chunk of page.chunks) sink(chunk);
          next = Math.max(next, page.next);
          if (page.chunks.length < 500) return;
        }
      };

      // The fallback: polls from wherever the socket stopped (`next`), one more round after the end
      // because late chunks may still be landing.
      const poll = () => {
        outputBox.setAttribute('data-transport', 'poll');
        every(500, async () => {
          const job = await api(path);
          if (!current(generation)) return false;
          if (jobChanged(job)) drawJob(job);
          await drain();
          if (FINAL_JOB.has(job.status)) {
            if (finished) return false;
            finished = true;
          }
        });
      };

      const live = () => {
        let socket;
        try {
          socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1' + path + '/live');
        } catch (_) { poll(); return; }
        let ended = false;
        // Navigating away must not leave the socket open until the job ends.
        const watch = setInterval(() => { if (!current(generation)) { ended = true; socket.close(); } }, 1000);
        socket.addEventListener('open', () => socket.send(JSON.stringify({ token: token() })));
        socket.addEventListener('message', (event) => {
          if (!current(generation)) { ended = true; socket.close(); return; }
          let frame = null;
          try { frame = JSON.parse(event.data); } catch (_) { return; }
          outputBox.setAttribute('data-transport', 'live');
          if (frame.type === 'job') {
            if (jobChanged(frame.job)) drawJob(frame.job);
          } else if (frame.type === 'output') {
            for (const chunk of frame.chunks) { sink(chunk); next = Math.max(next, chunk.seq); }
          } else if (frame.type === 'done') {
            ended = true;
            outputBox.setAttribute('data-live', 'done');
          } else if (frame.type === 'error') {
            ended = true;
            showError(new Error(frame.message));
          }
        });
        // Closed before `done` (refused token, proxy without WebSocket, controller restart): poll instead;
        // a refused token then takes the usual 401 → sign-in path.
        socket.addEventListener('close', () => {
          clearInterval(watch);
          if (!ended && current(generation)) poll();
        });
      };

      if (typeof WebSocket === 'function') live(); else poll();
    });
    """#
}
