// Sending snips to Readwise and Notion from the web player: the Settings section where a
// user saves their token (never shown back: only "saved, ends in …"), sends everything and
// sees how the latest send went; and "Send to Readwise/Notion" in a snip's Share menu once
// the service is set up. The server runs each send as a background job.
import { api, toast, showError } from './api.js';
import { h, clear, fmtWhen } from './util.js';

const NAMES = { readwise: 'Readwise', notion: 'Notion' };
let targets = null; // the latest GET /api/settings/exports, for the Share menu
let loading = null;

/** Loads which services are set up (once; again after a change in Settings). */
export function loadExportTargets(force = false) {
  if (!loading || force) loading = api('/api/settings/exports').then((t) => { targets = t; return t; }).catch(() => { loading = null; return null; });
  return loading;
}

/** Forgets them (signing out: the next user has their own). */
export function forgetExportTargets() { targets = null; loading = null; }

/** Share-menu entries for one snip: one per service that is set up. */
export function sendItems(snip) {
  if (!targets) { loadExportTargets(); return []; }
  return ['readwise', 'notion'].filter((s) => targets[s] && targets[s].configured)
    .map((s) => ({ label: `Send to ${NAMES[s]}`, onSelect: () => sendSnip(snip, s) }));
}

async function sendSnip(snip, service) {
  try {
    await api(`/api/exports/${service}`, { method: 'POST', json: { snip_id: snip.id } });
    toast(`Sending “${snip.title}” to ${NAMES[service]}…`);
    const s = await settle(service);
    const run = s && s.last_run;
    if (!run) return;
    if (run.error) toast(`${NAMES[service]}: ${run.error}`, { kind: 'error', timeout: 12000 });
    else toast(run.sent + run.updated ? `Sent to ${NAMES[service]}.` : `Already in ${NAMES[service]} — nothing changed.`);
  } catch (e) { showError(e); }
}

// Polls until the service's latest job has finished (or 60 s have passed).
async function settle(service, onTick) {
  for (let i = 0; i < 120; i++) {
    const all = await api('/api/settings/exports');
    targets = all;
    const s = all[service];
    if (onTick) onTick(s);
    if (!s.job || s.job.state === 'done' || s.job.state === 'failed') return s;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

function runWords(s) {
  const job = s.job;
  if (job && (job.state === 'queued' || job.state === 'running'))
    return h('p', { class: 'muted', role: 'status' }, job.state === 'queued' ? 'Waiting to send…' : `Sending… ${job.message || ''}`);
  const run = s.last_run;
  if (!run) return h('p', { class: 'muted', role: 'status' }, 'Not sent yet.');
  const counts = `${run.sent} new · ${run.updated} updated · ${run.unchanged} already there${run.failed ? ` · ${run.failed} not sent` : ''}`;
  return h('div', { role: 'status' },
    h('p', {}, run.error ? h('span', { class: 'status-bad' }, 'Stopped') : h('span', { class: 'status-ok' }, 'Sent'), ` ${fmtWhen(run.at)} · ${counts}`),
    run.error ? h('p', { class: 'error-text' }, run.error) : null);
}

function serviceCard(service, s, redraw) {
  const name = NAMES[service];
  const id = (k) => `export-${service}-${k}`;
  const token = h('input', { type: 'password', id: id('token'), autocomplete: 'off', spellcheck: 'false',
    placeholder: s.token ? `Saved${s.token.last4 ? ` — ends in ${s.token.last4}` : ''}` : (service === 'notion' ? 'secret_…' : 'Paste your access token') });
  const fields = [h('div', { class: 'field' }, h('label', { for: id('token') }, service === 'notion' ? 'Integration token' : 'Access token'), token,
    h('p', { class: 'muted' }, service === 'notion'
      ? h('span', {}, 'An internal integration’s secret from ', h('a', { href: 'https://www.notion.so/my-integrations', target: '_blank', rel: 'noopener' }, 'notion.so/my-integrations'), '. Share the database with it (••• → Connections).')
      : h('span', {}, 'From ', h('a', { href: 'https://readwise.io/access_token', target: '_blank', rel: 'noopener' }, 'readwise.io/access_token'), '.'),
    s.token ? ' A saved token is never shown; paste a new one to replace it.' : null))];
  let db = null, per = null;
  if (service === 'notion') {
    db = h('input', { type: 'text', id: id('db'), spellcheck: 'false', placeholder: 'The database’s link, or its 32-character id' });
    db.value = s.database_id || '';
    per = h('select', { id: id('per'), class: 'select' },
      h('option', { value: 'snip', selected: s.page_per !== 'episode' }, 'A page per snip'),
      h('option', { value: 'episode', selected: s.page_per === 'episode' }, 'A page per episode, with its snips'));
    fields.push(h('div', { class: 'field' }, h('label', { for: id('db') }, 'Database'), db),
      h('div', { class: 'field' }, h('label', { for: id('per') }, 'Pages'), per));
  }
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save');
  const form = h('form', {}, ...fields, h('div', { class: 'form-row' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    if (token.value.trim()) body.token = token.value;
    if (db) { body.database_id = db.value; body.page_per = per.value; }
    try {
      await api(`/api/settings/exports/${service}`, { method: 'PUT', json: body });
      toast(`${name} settings saved.`);
      await loadExportTargets(true); redraw();
    } catch (err) { showError(err); }
  });
  const status = h('div', {}, runWords(s));
  const send = h('button', { type: 'button', class: 'btn', disabled: !s.configured }, 'Send all snips now');
  send.addEventListener('click', async () => {
    send.disabled = true;
    try {
      await api(`/api/exports/${service}`, { method: 'POST' });
      await settle(service, (cur) => clear(status).append(runWords(cur)));
    } catch (err) { showError(err); }
    send.disabled = false;
  });
  const remove = s.token ? h('button', { type: 'button', class: 'btn' }, 'Remove') : null;
  if (remove) remove.addEventListener('click', async () => {
    if (!confirm(`Forget the ${name} token? hark still remembers what it sent, so setting it up again sends nothing twice.`)) return;
    try { await api(`/api/settings/exports/${service}`, { method: 'DELETE' }); toast(`${name} token removed.`); await loadExportTargets(true); redraw(); }
    catch (err) { showError(err); }
  });
  return h('section', { class: 'card export-service', 'aria-labelledby': id('h') },
    h('h3', { id: id('h') }, name), form, status, h('div', { class: 'form-row' }, send, remove));
}

/** The Settings section "Send snips": Readwise and Notion. */
export function exportSettingsSection() {
  const box = h('div', { class: 'export-services' }, h('p', { class: 'muted' }, 'Loading…'));
  const draw = async () => {
    const t = await loadExportTargets(true);
    if (!t) { clear(box).append(h('p', { class: 'error-text' }, 'The export settings could not be loaded.')); return; }
    clear(box).append(serviceCard('readwise', t.readwise, draw), serviceCard('notion', t.notion, draw));
  };
  draw();
  return h('div', {},
    h('h2', { id: 'send-snips' }, 'Send snips'),
    h('p', {}, 'Send your snips to Readwise (as highlights) or to a Notion database. hark remembers what it sent: sending again adds new snips and updates changed ones, never twice. Once set up, each snip’s Share menu can send it too.'),
    box);
}
