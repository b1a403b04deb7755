extension WebAssets {
    /// Host metrics (the `HostMetrics` JSON a `metrics` job returns) as a compact table, and the lookup
    /// of a host's latest metrics through its job history (the API has no "last metrics" field).
    static let metricsJS = #"""
    function bytes(value) {
      if (typeof value !== 'number' || !isFinite(value)) return '—';
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let n = value, i = 0;
      while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
      return (i === 0 ? String(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
    }
    function pct(value) { return typeof value === 'number' && isFinite(value) ? value.toFixed(0) + ' %' : '—'; }
    function num(value) { return typeof value === 'number' && isFinite(value) ? value.toFixed(2) : '—'; }
    function uptime(seconds) {
      if (typeof seconds !== 'number' || !isFinite(seconds)) return '—';
      const d = Math.floor(seconds / 86400), hrs = Math.floor((seconds % 86400) / 3600), min = Math.floor((seconds % 3600) / 60);
      return d ? d + 'd ' + hrs + 'h' : hrs ? hrs + 'h ' + min + 'm' : min + 'm';
    }
    function rootDisk(m) {
      const disks = Array.isArray(m.disks) ? m.disks : [];
      return disks.find((d) => d.mount_point === '/') || disks[0] || null;
    }
    function isMetrics(m) { return m && typeof m === 'object' && m.cpu && m.memory && 'load1' in m; }

    const METRIC_HEADERS = ['Host', 'Load 1/5/15', 'CPU busy', 'Memory used', 'Disk /', 'Uptime'];
    function metricCells(m) {
      const disk = rootDisk(m);
      const mem = m.memory || {};
      return [
        h('td', {}, num(m.load1) + ' / ' + num(m.load5) + ' / ' + num(m.load15)),
        h('td', { class: 'num' }, pct(m.cpu && m.cpu.busy_percent)),
        h('td', {}, bytes(mem.used_bytes) + ' of ' + bytes(mem.total_bytes)),
        h('td', {}, disk ? pct(disk.used_percent) + ' of ' + bytes(disk.total_bytes) : '—'),
        h('td', {}, uptime(m.uptime_seconds)),
      ];
    }
    // One host's metrics as label/value pairs: a table of one row is cramped in a half-width column.
    function metricsList(m) {
      const cells = metricCells(m);
      return h('dl', { class: 'facts', id: 'metrics-list' },
        METRIC_HEADERS.slice(1).flatMap((title, i) => [h('dt', {}, title), h('dd', {}, cells[i].textContent)]));
    }
    function factText(key, value) {
      if (Array.isArray(value)) return value.join(', ');
      return /_bytes$/.test(key) && typeof value === 'number' ? bytes(value) : String(value);
    }
    // rows: [{ host, metrics }]
    function metricsTable(rows, id) {
      return table(METRIC_HEADERS, rows.map(({ host, metrics }) =>
        h('tr', {}, h('th', { scope: 'row' }, h('a', { href: '#/hosts/' + encodeURIComponent(host) }, host)), metricCells(metrics))),
        { id: id || null, class: 'metrics' });
    }

    // Latest metrics of a host: its newest successful `metrics` job in history. Cached per job id.
    const metricsCache = new Map();
    async function latestMetrics(agentName, history) {
      const entries = history || await api('/agents/' + encodeURIComponent(agentName) + '/history?limit=20');
      const entry = entries.find((e) => /^metrics\b/.test(e.command) && e.status === 'succeeded');
      if (!entry) return null;
      if (!metricsCache.has(entry.job_id)) {
        const job = await api('/jobs/' + encodeURIComponent(entry.job_id));
        const run = job.runs.find((r) => r.agent_name === agentName);
        const metrics = run ? parseJSON(run.structured_json) : null;
        metricsCache.set(entry.job_id, isMetrics(metrics) ? { metrics, at: run.finished_at, job: job.id } : null);
      }
      return metricsCache.get(entry.job_id);
    }
    """#
}
