extension WebAssets {
    /// The small markdown subset the bot writes (fenced code blocks, `code`, **bold**, job ids), rendered
    /// into DOM nodes. Text is only ever placed with text nodes, so a hostile message stays text.
    static let markdownJS = #"""
    const JOB_ID = /\b[0-9A-HJKMNP-TV-Z]{26}\b/;

    function renderMarkdown(source) {
      const out = [];
      const lines = String(source || '').split('\n');
      let code = null;
      let paragraph = [];
      const flush = () => {
        if (paragraph.length) out.push(h('p', {}, inline(paragraph.join('\n'))));
        paragraph = [];
      };
      for (const line of lines) {
        if (/^```/.test(line)) {
          if (code === null) { flush(); code = []; }
          else { out.push(h('pre', {}, h('code', {}, code.join('\n')))); code = null; }
        } else if (code !== null) {
          code.push(line);
        } else if (line.trim() === '') {
          flush();
        } else {
          paragraph.push(line);
        }
      }
      if (code !== null) out.push(h('pre', {}, h('code', {}, code.join('\n'))));
      flush();
      return out;
    }

    // Splits on `code` and **bold** spans, then links job ids in the remaining plain text.
    function inline(text) {
      const nodes = [];
      for (const part of text.split(/(`[^`\n]+`|\*\*[^*\n]+\*\*)/)) {
        if (!part) continue;
        if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) nodes.push(h('code', {}, part.slice(1, -1)));
        else if (part.length > 4 && part.startsWith('**') && part.endsWith('**')) nodes.push(h('strong', {}, part.slice(2, -2)));
        else nodes.push(...linkJobs(part));
      }
      return nodes;
    }

    function linkJobs(text) {
      const nodes = [];
      let rest = text;
      for (let match = JOB_ID.exec(rest); match; match = JOB_ID.exec(rest)) {
        if (match.index) nodes.push(rest.slice(0, match.index));
        nodes.push(h('a', { href: '#/jobs/' + match[0] }, match[0]));
        rest = rest.slice(match.index + match[0].length);
      }
      if (rest) nodes.push(rest);
      return nodes;
    }
    """#
}
