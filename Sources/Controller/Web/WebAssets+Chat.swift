extension WebAssets {
    /// `#/chat`: the `web` platform's room. Polls the room every 700 ms by revision; an edited message
    /// comes back with a higher revision and replaces its old rendering in place (keyed by id).
    static let chatJS = #"""
    const ROOM = 'web';

    function eventID() {
      // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    }

    function chatItem(message, mine) {
      const body = mine ? [h('p', {}, message.text)] : renderMarkdown(message.markdown || message.text);
      return h('li', { class: 'msg' + (mine ? ' mine' : ''), 'data-id': message.id },
        h('div', { class: 'meta' }, h('strong', {}, message.author), ' ',
          h('time', { datetime: message.posted_at || '' }, message.posted_at ? new Date(message.posted_at).toLocaleTimeString() : 'sending…')),
        h('div', { class: 'body' }, body));
    }

    route(/^#\/chat$/, (main) => {
      const generation = app.generation;
      const list = h('ol', { id: 'messages', class: 'messages', 'aria-live': 'polite', 'aria-label': 'Messages' });
      const input = h('input', { id: 'chat-input', type: 'text', autocomplete: 'off', maxlength: 2000,
        placeholder: 'e.g. metrics all — type help for commands', 'aria-label': 'Message' });
      const send = h('button', { type: 'submit' }, 'Send');
      const notice = h('p', { id: 'chat-notice', class: 'muted', role: 'status' });
      const state = { revision: 0, items: new Map(), pending: null };

      const upsert = (message, mine) => {
        const item = chatItem(message, mine);
        const old = state.items.get(message.id);
        if (old) old.replaceWith(item); else list.append(item);
        state.items.set(message.id, item);
      };
      const scrollDown = () => { list.scrollTop = list.scrollHeight; };

      const form = h('form', { class: 'composer', onsubmit: async (event) => {
        event.preventDefault();
        const text = input.value.trim();
        if (!text) return;
        // A retry of the same text reuses its event id, so the controller handles it once.
        if (!state.pending || state.pending.text !== text) state.pending = { text, id: eventID() };
        const pending = state.pending;
        upsert({ id: 'local:' + pending.id, author: 'you', text }, true);
        scrollDown();
        send.disabled = true;
        try {
          await api('/chat/messages', { method: 'POST', body: { platform: 'web', room: ROOM, text, event_id: pending.id } });
          state.pending = null;
          input.value = '';
          notice.textContent = '';
        } catch (error) {
          if (error.status === 401) return;
          notice.textContent = 'Not sent (' + error.message + '). Press Enter to retry.';
        } finally { send.disabled = false; input.focus(); }
      } }, input, send);

      main.append(h('section', { class: 'chat' },
        h('h1', {}, 'Chat room ', h('code', {}, ROOM)),
        errorBox(), list, notice, form));
      input.focus();

      every(700, async () => {
        let page;
        try {
          page = await api('/chat/rooms/' + encodeURIComponent(ROOM) + '/messages?after=' + state.revision);
        } catch (error) {
          if (error.status === 404 && current(generation)) {
            notice.textContent = 'This controller has no chat endpoint yet (404); use the Fleet page to run commands.';
            form.hidden = true;
            return false;
          }
          throw error;
        }
        if (!current(generation) || !page) return false;
        const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        for (const message of page.messages || []) {
          // Our own line echoed by the server replaces the local copy.
          if (message.author !== 'steward') {
            for (const [id, item] of state.items) {
              if (id.startsWith('local:') && item.querySelector('.body').textContent === message.text) { item.remove(); state.items.delete(id); break; }
            }
          }
          upsert(message, false);
        }
        if (typeof page.revision === 'number') state.revision = Math.max(state.revision, page.revision);
        if (nearBottom && (page.messages || []).length) scrollDown();
      });
    });
    """#
}
