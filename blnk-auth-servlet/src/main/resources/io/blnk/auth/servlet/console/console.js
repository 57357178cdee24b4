/*
 * blnk-auth key-management console.
 *
 * Rules this script keeps:
 *  - The signed-in key lives in one variable (session.key) and nowhere else: no cookie, no
 *    browser storage, no URL. Reloading the page, signing out or staying idle
 *    forgets it.
 *  - Every value from the server is rendered as text (textContent / Text nodes); the page's
 *    Content-Security-Policy requires Trusted Types, so assigning markup would throw.
 *  - The page can do only what the key can do through /api-keys; what the key may not do is
 *    hidden, and whatever the server refuses is shown in the words of its error envelope.
 *
 * Row actions are a table (ROW_ACTIONS): the lifecycle operations (disable, enable, edit, events)
 * are added there once the API has them.
 */
(function () {
  'use strict';

  const DAY_MS = 24 * 60 * 60 * 1000;
  const NEVER_USED = '0001-01-01T00:00:00Z';

  let settings = null; // from settings.json: api, key_prefix, idle_timeout_seconds, resources, actions
  /**
   * The signed-in session, or null. { key, master, owner (string|null), self (listed key|null),
   * scopes (string[]|null when unknown), canList (bool|null when unknown) }
   */
  let session = null;
  let keys = []; // the listed keys of the owner shown
  let shownOwner = null;
  let lastActivity = Date.now();
  let idleTimer = null;
  const ownersSeen = new Set();

  const $ = (id) => document.getElementById(id);

  /** Builds an element; children are nodes or strings (strings become Text nodes). */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'className') e.className = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }

  // ---------------------------------------------------------------- messages

  function showError(message) {
    const box = $('error');
    box.textContent = message;
    box.hidden = !message;
  }

  function showNotice(message) {
    const box = $('notice');
    box.textContent = message;
    box.hidden = !message;
  }

  function clearMessages() {
    showError('');
    showNotice('');
  }

  function showIn(id, message) {
    const box = $(id);
    box.textContent = message || '';
    box.hidden = !message;
  }

  // ---------------------------------------------------------------- the API

  /**
   * Calls the API with the session's key. Resolves to {ok, status, data, code, message}; never
   * rejects. A refusal's message is the envelope's error_detail.message (or error).
   */
  async function api(method, path, options) {
    const opts = options || {};
    if (!session) return { ok: false, status: 0, code: '', message: 'You are signed out.' };
    let url = settings.api + path;
    if (opts.owner) url += '?owner=' + encodeURIComponent(opts.owner);
    const init = {
      method,
      headers: { 'X-Blnk-Key': session.key, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    };
    if (opts.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      return { ok: false, status: 0, code: '', message: 'Could not reach the server: ' + e.message };
    }
    let data = null;
    let text = '';
    try {
      text = await res.text();
    } catch (e) {
      text = '';
    }
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (res.ok) return { ok: true, status: res.status, data, code: '', message: '' };
    const detail = data && typeof data === 'object' ? data.error_detail : null;
    let message = '';
    if (detail && typeof detail.message === 'string') message = detail.message;
    else if (data && typeof data.error === 'string') message = data.error;
    if (!message) message = 'The server answered ' + res.status + ' without a message.';
    return {
      ok: false,
      status: res.status,
      data,
      code: detail && typeof detail.code === 'string' ? detail.code : '',
      message,
    };
  }

  // ---------------------------------------------------------------- scopes

  function splitScope(s) {
    const i = s.indexOf(':');
    return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
  }

  /** Blnk's rule: granted covers requested iff resource and action each match or are '*'. */
  function covers(granted, requested) {
    const [gr, ga] = splitScope(granted);
    const [rr, ra] = splitScope(requested);
    return (gr === '*' || gr === rr) && (ga === '*' || ga === ra);
  }

  /** Whether the signed-in key may do resource:action; null when its scopes are unknown. */
  function may(scope) {
    if (!session) return false;
    if (session.master) return true;
    if (!session.scopes) return null;
    return session.scopes.some((g) => covers(g, scope));
  }

  /** Whether to offer an operation: offered unless the key's scopes are known not to cover it. */
  function offered(scope) {
    return may(scope) !== false;
  }

  // ---------------------------------------------------------------- status and time

  function statusOf(k, now) {
    if (k.is_revoked) return 'revoked';
    if (k.expires_at && Date.parse(k.expires_at) <= now) return 'expired';
    return 'active';
  }

  function formatTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' '
      + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' UTC';
  }

  function relative(iso, now) {
    const t = Date.parse(iso);
    if (isNaN(t)) return '';
    const diff = t - now;
    const abs = Math.abs(diff);
    const minutes = Math.round(abs / 60000);
    const hours = Math.round(abs / 3600000);
    let text;
    if (minutes < 1) text = 'less than a minute';
    else if (minutes < 60) text = minutes + ' min';
    else if (hours < 48) text = hours + ' h';
    else text = Math.round(abs / DAY_MS) + ' days';
    return diff >= 0 ? 'in ' + text : text + ' ago';
  }

  function isoNoMillis(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  // ---------------------------------------------------------------- idle timeout

  function touch() {
    lastActivity = Date.now();
  }

  function startIdleWatch() {
    stopIdleWatch();
    lastActivity = Date.now();
    idleTimer = window.setInterval(() => {
      if (session && Date.now() - lastActivity > settings.idle_timeout_seconds * 1000) {
        signOut('Signed out after ' + Math.round(settings.idle_timeout_seconds / 60)
          + ' minutes without activity: the key was forgotten.');
      }
    }, 5000);
  }

  function stopIdleWatch() {
    if (idleTimer !== null) window.clearInterval(idleTimer);
    idleTimer = null;
  }

  // ---------------------------------------------------------------- sign in / out

  async function signIn(event) {
    event.preventDefault();
    clearMessages();
    const input = $('sign-in-key');
    const key = input.value.trim();
    input.value = '';
    if (!key) {
      showError('Type a key to sign in.');
      input.focus();
      return;
    }
    const button = $('sign-in-button');
    button.disabled = true;
    session = { key, master: false, owner: null, self: null, scopes: null, canList: null };
    // Who am I? The master key must name an owner to list; a scoped key lists its own owner's keys.
    const probe = await api('GET', '');
    button.disabled = false;
    if (probe.ok && Array.isArray(probe.data)) {
      const self = probe.data.find((k) => typeof k.key_prefix === 'string' && k.key_prefix.length > 0
        && key.startsWith(k.key_prefix)) || null;
      session.self = self;
      session.owner = self ? self.owner_id : (probe.data[0] ? probe.data[0].owner_id : null);
      session.scopes = self && Array.isArray(self.scopes) ? self.scopes.map(String) : null;
      session.canList = true;
      enter();
      renderList(probe.data, session.owner);
    } else if (probe.code === 'APIKEY_OWNER_REQUIRED') {
      session.master = true;
      session.canList = true;
      enter();
    } else if (probe.status === 403) {
      // A scoped key that may not list: say so, and offer what it may still try.
      session.canList = false;
      enter();
      $('list-area').hidden = false;
      $('keys-table').hidden = true;
      $('list-message').textContent = 'This key may not list keys: ' + probe.message;
    } else {
      session = null;
      showError('Sign-in failed: ' + probe.message);
      input.focus();
    }
  }

  function enter() {
    $('sign-in-view').hidden = true;
    $('keys-view').hidden = false;
    $('who').hidden = false;
    $('who-label').textContent = session.master
      ? 'Signed in with the master key'
      : 'Signed in with ' + (session.self ? '“' + session.self.name + '” (' + session.self.key_prefix + '…)' : 'an API key');
    renderCapabilities();
    $('owner-form').hidden = !session.master;
    $('new-key').hidden = !offered('api-keys:write');
    $('list-area').hidden = session.master;
    $('keys-table').hidden = false;
    startIdleWatch();
    if (session.master) $('owner-input').focus();
    else $('keys-title').focus();
  }

  function signOut(message) {
    session = null;
    keys = [];
    shownOwner = null;
    stopIdleWatch();
    for (const id of ['create-dialog', 'reveal-dialog', 'revoke-dialog', 'rotate-dialog']) {
      const d = $(id);
      if (d.open) d.close();
    }
    $('reveal-key').value = '';
    $('keys-body').replaceChildren();
    $('caps').replaceChildren();
    $('owner-input').value = '';
    $('filter-text').value = '';
    $('list-message').textContent = '';
    $('keys-view').hidden = true;
    $('who').hidden = true;
    $('sign-in-view').hidden = false;
    showError('');
    showNotice(message || 'Signed out: the key was forgotten.');
    $('sign-in-key').focus();
  }

  // ---------------------------------------------------------------- capabilities

  function renderCapabilities() {
    const box = $('caps');
    const items = [];
    const line = (ok, text) => el('li', { className: ok === false ? 'no' : 'yes' },
      (ok === false ? 'May not ' : ok === null ? 'Perhaps (scopes unknown): ' : 'May ') + text);
    if (session.master) {
      box.replaceChildren(
        el('strong', { text: 'Master key.' }),
        ' It may list, create, revoke and rotate the keys of any owner, and grant any scope.');
      return;
    }
    const head = [];
    if (session.self) {
      head.push(el('strong', { text: 'Key “' + session.self.name + '”' }),
        ' of owner ', el('strong', { text: session.self.owner_id }), '. Scopes: ');
      for (const s of session.scopes || []) head.push(el('span', { className: 'scope', text: s }));
      if (session.self.expires_at) head.push(' Expires ' + formatTime(session.self.expires_at) + '.');
    } else {
      head.push(el('strong', { text: 'Scoped key.' }),
        ' Its scopes could not be read, so the console offers everything and the server decides.');
    }
    items.push(line(session.canList === false ? false : may('api-keys:read'), 'list its owner’s keys'));
    items.push(line(may('api-keys:write'), 'create keys with scopes it holds itself, and rotate keys'));
    items.push(line(may('api-keys:delete'), 'revoke keys'));
    items.push(el('li', { className: 'no' }, 'May not see or manage another owner’s keys'));
    box.replaceChildren(el('p', null, ...head), el('ul', null, ...items));
  }

  // ---------------------------------------------------------------- the list

  async function loadOwner(event) {
    if (event) event.preventDefault();
    clearMessages();
    const owner = $('owner-input').value.trim();
    if (!owner) {
      showError('Type an owner id.');
      $('owner-input').focus();
      return;
    }
    await refresh(owner);
  }

  /** Lists the owner's keys (null: the scoped key's own owner). */
  async function refresh(owner) {
    const res = await api('GET', '', { owner: session && session.master ? owner : null });
    if (!session) return;
    if (!res.ok) {
      showError('Could not list keys: ' + res.message);
      return;
    }
    renderList(Array.isArray(res.data) ? res.data : [], owner);
  }

  function renderList(list, owner) {
    keys = list;
    shownOwner = owner;
    if (owner) {
      ownersSeen.add(owner);
      $('owner-history').replaceChildren(...[...ownersSeen].map((o) => el('option', { value: o })));
    }
    $('list-area').hidden = false;
    $('keys-table').hidden = false;
    renderRows();
  }

  const SORTS = {
    'created-desc': (a, b) => cmp(b.created_at, a.created_at),
    'created-asc': (a, b) => cmp(a.created_at, b.created_at),
    'name-asc': (a, b) => String(a.name).localeCompare(String(b.name)),
    'expires-asc': (a, b) => cmp(a.expires_at || '9999', b.expires_at || '9999'),
    'used-desc': (a, b) => cmp(b.last_used_at, a.last_used_at),
    'status-asc': (a, b) => cmp(a._status, b._status) || cmp(b.created_at, a.created_at),
  };

  function cmp(a, b) {
    const x = a === null || a === undefined ? '' : String(a);
    const y = b === null || b === undefined ? '' : String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function renderRows() {
    const now = Date.now();
    const text = $('filter-text').value.trim().toLowerCase();
    const status = $('filter-status').value;
    const rows = keys.map((k) => Object.assign({ _status: statusOf(k, now) }, k))
      .filter((k) => status === 'all' || k._status === status)
      .filter((k) => !text || [k.name, k.key_prefix, k.api_key_id, ...(k.scopes || [])]
        .some((v) => String(v || '').toLowerCase().includes(text)));
    rows.sort(SORTS[$('sort-by').value] || SORTS['created-desc']);
    const byId = new Map(keys.map((k) => [k.api_key_id, k]));
    $('keys-body').replaceChildren(...rows.map((k) => row(k, byId, now)));
    const ownerText = shownOwner ? ' of owner ' + shownOwner : '';
    $('keys-caption').textContent = keys.length + ' key' + (keys.length === 1 ? '' : 's') + ownerText
      + (rows.length !== keys.length ? ', ' + rows.length + ' shown' : '');
    $('list-message').textContent = keys.length === 0
      ? 'No keys' + ownerText + ' yet.'
      : rows.length === 0 ? 'No key matches the filter.' : '';
  }

  /**
   * The operations a row offers: each needs a scope and applies to some statuses. The lifecycle
   * issue adds disable / enable ('api-keys:write'), edit ('api-keys:write') and events
   * ('api-keys:read') here.
   */
  const ROW_ACTIONS = [
    { id: 'rotate', label: 'Rotate', needs: 'api-keys:write', when: (s) => s === 'active', run: openRotate },
    { id: 'revoke', label: 'Revoke', needs: 'api-keys:delete', when: (s) => s !== 'revoked', run: openRevoke },
  ];

  function row(k, byId, now) {
    const isSelf = session.self && session.self.api_key_id === k.api_key_id;
    const nameCell = el('td', { className: 'name', 'data-label': 'Name' },
      el('span', { text: k.name }),
      isSelf ? el('span', { className: 'sub', text: '(the key you signed in with)' }) : null,
      el('span', { className: 'id mono', text: k.api_key_id }));
    const scopes = el('td', { 'data-label': 'Scopes' },
      ...(k.scopes || []).map((s) => el('span', { className: 'scope', text: s })));
    const statusCell = el('td', { 'data-label': 'Status' },
      el('span', { className: 'status ' + k._status, text: k._status }),
      k.is_revoked && k.revoked_at ? el('span', { className: 'sub', text: formatTime(k.revoked_at) }) : null);
    const expires = el('td', { 'data-label': 'Expires' },
      k.expires_at ? el('span', { text: formatTime(k.expires_at) }) : el('span', { text: 'never' }),
      k.expires_at ? el('span', { className: 'sub', text: relative(k.expires_at, now) }) : null);
    const used = !k.last_used_at || k.last_used_at === NEVER_USED
      ? el('td', { 'data-label': 'Last used', text: 'never' })
      : el('td', { 'data-label': 'Last used' }, el('span', { text: formatTime(k.last_used_at) }),
        el('span', { className: 'sub', text: relative(k.last_used_at, now) }));
    let creator;
    if (!k.created_by) creator = 'master key';
    else if (byId.has(k.created_by)) {
      const c = byId.get(k.created_by);
      creator = c.name + ' (' + c.key_prefix + '…)';
    } else creator = k.created_by;
    const actions = el('td', { className: 'actions', 'data-label': 'Actions' });
    for (const a of ROW_ACTIONS) {
      if (!a.when(k._status) || !offered(a.needs)) continue;
      actions.append(el('button', {
        type: 'button',
        className: 'small' + (a.id === 'revoke' ? ' danger' : ''),
        'data-action': a.id,
        'aria-label': a.label + ' ' + k.name,
        text: a.label,
        onclick: () => a.run(k),
      }));
    }
    return el('tr', { 'data-key-id': k.api_key_id },
      nameCell,
      el('td', { className: 'mono', 'data-label': 'Prefix', text: k.key_prefix + '…' }),
      scopes, statusCell, expires, used,
      el('td', { 'data-label': 'Created by', text: creator }),
      actions);
  }

  // ---------------------------------------------------------------- create

  function openCreate() {
    clearMessages();
    showIn('create-error', '');
    $('create-form').reset();
    $('expiry-date-field').hidden = true;
    $('create-owner-field').hidden = !session.master;
    $('create-owner').value = session.master ? (shownOwner || $('owner-input').value.trim()) : '';
    const tomorrow = new Date(Date.now() + DAY_MS);
    $('expiry-date').min = tomorrow.toISOString().slice(0, 10);
    $('expiry-date').removeAttribute('max');
    limitExpiry();
    renderScopeGrid();
    $('create-dialog').showModal();
    $('create-name').focus();
  }

  /**
   * A scoped key may not create a key that outlives it: presets beyond its own expiry are disabled
   * and "when your key expires" is offered (and chosen when the default would be too late).
   */
  function limitExpiry() {
    const limit = !session.master && session.self && session.self.expires_at
      ? Date.parse(session.self.expires_at) : NaN;
    const selfChoice = $('expiry-self-choice');
    $('expiry-self').hidden = isNaN(limit);
    selfChoice.disabled = isNaN(limit);
    $('expiry-self-label').textContent = isNaN(limit) ? '' : 'when your key expires (' + formatTime(session.self.expires_at) + ')';
    for (const r of document.querySelectorAll('input[name=expiry]')) {
      if (r === selfChoice) continue;
      const days = Number(r.value);
      r.disabled = !isNaN(limit) && (r.value === 'never' || (days > 0 && Date.now() + days * DAY_MS > limit));
      r.closest('label').classList.toggle('off', r.disabled);
    }
    if (!isNaN(limit)) {
      $('expiry-date').max = new Date(limit).toISOString().slice(0, 10);
      const checked = document.querySelector('input[name=expiry]:checked');
      if (!checked || checked.disabled) selfChoice.checked = true;
    }
  }

  function renderScopeGrid() {
    const actions = settings.actions.concat(['*']);
    const rows = [{ name: '*', master_only: false, label: 'every resource (*)' }].concat(settings.resources);
    let hidden = 0;
    const body = [];
    for (const r of rows) {
      let offeredHere = 0;
      const cells = actions.map((a) => {
        const scope = r.name + ':' + a;
        if (!offered(scope)) {
          hidden++;
          return el('td', null, el('span', { 'aria-hidden': 'true', text: '–' }));
        }
        offeredHere++;
        return el('td', null, el('input', { type: 'checkbox', name: 'scope', value: scope, 'aria-label': scope }));
      });
      // A resource the key can grant nothing on is left out altogether.
      if (offeredHere === 0) continue;
      body.push(el('tr', null,
        el('td', null, el('code', { text: r.label || r.name }),
          r.master_only ? el('span', { className: 'tag', text: '(master key only)' }) : null),
        ...cells));
    }
    $('scope-grid-body').replaceChildren(...body);
    $('delegation-rule').textContent = session.master
      ? 'Delegation rule: a key may grant only scopes its own scopes cover (ledgers:* covers ledgers:read, *:* covers everything, and no action implies another). The master key may grant any scope of the registry.'
      : 'Delegation rule: a key may grant only scopes its own scopes cover (ledgers:* covers ledgers:read, *:* covers everything, and no action implies another), and a new key may not outlive the key that creates it.';
    const note = $('scope-hidden-note');
    note.hidden = hidden === 0 || session.master;
    note.textContent = session.scopes
      ? hidden + ' scope' + (hidden === 1 ? '' : 's') + ' your key does not hold ' + (hidden === 1 ? 'is' : 'are') + ' not offered.'
      : '';
  }

  async function submitCreate(event) {
    event.preventDefault();
    showIn('create-error', '');
    const name = $('create-name').value.trim();
    const scopes = [...document.querySelectorAll('#scope-grid-body input[name=scope]:checked')].map((c) => c.value);
    const choice = (document.querySelector('input[name=expiry]:checked') || { value: '30' }).value;
    const problems = [];
    if (!name) problems.push('a name');
    if (scopes.length === 0) problems.push('at least one scope');
    let expiresAt;
    if (choice === 'self') {
      expiresAt = session.self.expires_at;
    } else if (choice === 'date') {
      const d = $('expiry-date').value;
      if (!d) problems.push('an expiry date');
      else expiresAt = d + 'T00:00:00Z';
    } else if (choice !== 'never') {
      expiresAt = isoNoMillis(Date.now() + Number(choice) * DAY_MS);
    }
    let owner = null;
    if (session.master) {
      owner = $('create-owner').value.trim();
      if (!owner) problems.push('an owner');
    }
    if (problems.length) {
      showIn('create-error', 'Please give ' + problems.join(', ') + '.');
      return;
    }
    const body = { name, scopes };
    if (owner) body.owner = owner;
    if (expiresAt) body.expires_at = expiresAt;
    $('create-submit').disabled = true;
    const res = await api('POST', '', { body });
    $('create-submit').disabled = false;
    if (!session) return;
    if (!res.ok) {
      showIn('create-error', 'The key was not created: ' + res.message);
      return;
    }
    $('create-dialog').close();
    reveal(res.data, 'Created “' + res.data.name + '” for owner ' + res.data.owner_id + '.');
    const listOwner = session.master ? res.data.owner_id : null;
    if (session.master) $('owner-input').value = res.data.owner_id;
    if (session.canList !== false) await refresh(listOwner);
  }

  // ---------------------------------------------------------------- reveal

  function reveal(created, about) {
    $('reveal-about').textContent = about + ' Prefix ' + created.key_prefix + '…';
    $('reveal-key').value = created.key;
    $('reveal-copied').textContent = '';
    $('reveal-dialog').showModal();
    $('reveal-key').focus();
    $('reveal-key').select();
  }

  async function copyKey() {
    const input = $('reveal-key');
    let copied = false;
    try {
      await navigator.clipboard.writeText(input.value);
      copied = true;
    } catch (e) {
      input.select();
      try {
        copied = document.execCommand('copy');
      } catch (e2) {
        copied = false;
      }
    }
    $('reveal-copied').textContent = copied ? 'Copied to the clipboard.' : 'Could not copy: select the key and copy it by hand.';
  }

  function closeReveal() {
    $('reveal-key').value = '';
    $('reveal-copied').textContent = '';
    if ($('reveal-dialog').open) $('reveal-dialog').close();
  }

  // ---------------------------------------------------------------- revoke

  let revoking = null;

  function openRevoke(k) {
    clearMessages();
    revoking = k;
    showIn('revoke-error', '');
    $('revoke-question').textContent = 'Revoke “' + k.name + '” (' + k.key_prefix + '…, ' + k.api_key_id + ')?';
    $('revoke-dialog').showModal();
    $('revoke-cancel').focus();
  }

  async function confirmRevoke() {
    const k = revoking;
    if (!k) return;
    $('revoke-confirm').disabled = true;
    const res = await api('DELETE', '/' + encodeURIComponent(k.api_key_id), { owner: session && session.master ? k.owner_id : null });
    $('revoke-confirm').disabled = false;
    if (!session) return;
    if (!res.ok) {
      showIn('revoke-error', 'The key was not revoked: ' + res.message);
      return;
    }
    $('revoke-dialog').close();
    revoking = null;
    showNotice('Revoked “' + k.name + '” (' + k.key_prefix + '…).');
    if (session.self && session.self.api_key_id === k.api_key_id) {
      signOut('You revoked the key you signed in with; it was forgotten.');
      return;
    }
    await refresh(session.master ? k.owner_id : null);
  }

  // ---------------------------------------------------------------- rotate

  let rotating = null;

  function openRotate(k) {
    clearMessages();
    rotating = k;
    showIn('rotate-error', '');
    $('rotate-question').textContent = 'Rotate “' + k.name + '” (' + k.key_prefix + '…, ' + k.api_key_id + ')?';
    $('rotate-grace').value = 'PT24H';
    $('rotate-dialog').showModal();
    $('rotate-grace').focus();
  }

  async function confirmRotate(event) {
    event.preventDefault();
    const k = rotating;
    if (!k) return;
    $('rotate-confirm').disabled = true;
    const res = await api('POST', '/' + encodeURIComponent(k.api_key_id) + '/rotate', {
      owner: session && session.master ? k.owner_id : null,
      body: { grace_period: $('rotate-grace').value },
    });
    $('rotate-confirm').disabled = false;
    if (!session) return;
    if (!res.ok) {
      showIn('rotate-error', 'The key was not rotated: ' + res.message);
      return;
    }
    $('rotate-dialog').close();
    rotating = null;
    const grace = $('rotate-grace').selectedOptions[0].textContent;
    reveal(res.data, 'Rotated “' + k.name + '”. The old key (' + k.key_prefix + '…) keeps working for: ' + grace + '.');
    await refresh(session.master ? k.owner_id : null);
  }

  // ---------------------------------------------------------------- start

  async function start() {
    try {
      const res = await fetch('settings.json', { cache: 'no-store', credentials: 'omit' });
      if (!res.ok) throw new Error('the server answered ' + res.status);
      settings = await res.json();
    } catch (e) {
      showError('The console could not load its settings: ' + e.message);
      $('sign-in-button').disabled = true;
      return;
    }
    $('idle-minutes').textContent = String(Math.round(settings.idle_timeout_seconds / 60));
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut());
    $('owner-form').addEventListener('submit', loadOwner);
    $('refresh').addEventListener('click', () => { clearMessages(); refresh(session.master ? shownOwner : null); });
    $('new-key').addEventListener('click', openCreate);
    $('filter-text').addEventListener('input', renderRows);
    $('filter-status').addEventListener('change', renderRows);
    $('sort-by').addEventListener('change', renderRows);
    $('create-form').addEventListener('submit', submitCreate);
    $('create-cancel').addEventListener('click', () => $('create-dialog').close());
    for (const r of document.querySelectorAll('input[name=expiry]')) {
      r.addEventListener('change', () => { $('expiry-date-field').hidden = !$('expiry-date-choice').checked; });
    }
    $('reveal-copy').addEventListener('click', copyKey);
    $('reveal-done').addEventListener('click', closeReveal);
    $('reveal-dialog').addEventListener('close', () => { $('reveal-key').value = ''; });
    $('revoke-cancel').addEventListener('click', () => $('revoke-dialog').close());
    $('revoke-confirm').addEventListener('click', confirmRevoke);
    $('rotate-form').addEventListener('submit', confirmRotate);
    $('rotate-cancel').addEventListener('click', () => $('rotate-dialog').close());
    for (const type of ['pointerdown', 'keydown', 'input']) {
      document.addEventListener(type, touch, { capture: true, passive: true });
    }
    // Leaving the page forgets the key even if the browser keeps the page in its back/forward cache.
    window.addEventListener('pagehide', () => { if (session) signOut('Signed out: the page was left.'); });
    $('sign-in-key').focus();
    document.body.dataset.ready = 'true';
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
