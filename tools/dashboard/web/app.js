// The dashboard page's logic: log in, follow the floor live over Server-Sent Events
// (/api/events), launch and stop sessions, read a station's log, keep the replay of a recently
// ended session. Plain JavaScript, no build.
//
// Every string from the server reaches the page through textContent or an attribute, never
// parsed as HTML. The floor (see tools/dashboard/dashboard.h) looks like
//   {titles:[...], stations:[{name, number, online, state, title, session, remaining, seat,
//    health:{fps, missedFrames, rttMs, loss, uptime, headset, link, downKbps, outages,
//            longestOutageMs, correctionMm, present, trainer:{state, watts, cadenceRpm}|null}, lastSeen}],
//    sessions:[{id, title, stations:[...], state, seconds, remaining, lobby, startsIn, lang, difficulty, budgetKbps,
//               link:[{seat, budgetKbps, estimatedKbps, usedKbps, snapshotHz, partial, outages, longestOutageMs}]}],
//    recent:[{id, title, stations:[...], endReason, endedAt (Unix s), replay, kept, keptPath}],
//    alerts:[{id, station, kind, detail, raised (Unix s), acked}]}   (the open ones; health.present: worn)
// Live views: each card of a station in a headset shows /api/view?station=... every 2 s while
// the page is visible (asking is what keeps the station sending); a click enlarges it, polled
// every second. A new alert flashes its station's card and beeps (Web Audio).
// Desk hooks: "live" (the card's picture), "present", "alerts-panel", "alert-<id>", "ack-<id>";
// document.body.dataset.alertSounds counts the beeps.
// Test hooks: data-testid="station-<name>" on each card (with "state", "remaining", "title",
// "online", "link", "outages" inside), "stop-<station>", "logs-<station>", "session-<id>", "stop-session-<id>",
// "launch", "launch-result", "login-error", "check-<station>" in the launch form;
// "recent-<id>" on each recent session (with "keep-name-<id>", "keep-<id>", "keep-result-<id>",
// "kept-<id>" inside).
'use strict';

const $ = (id) => document.getElementById(id);
const BUSY = new Set(['loading', 'playing', 'warning']);
const LINK_TEXT = {ok: 'ok', interrupted: 'lost, reconnecting', bot: 'lost: the computer plays'};
const busyLink = (state) => state === 'playing' || state === 'warning';

let events = null;          // the EventSource while logged in
let retryTimer = null;
let floor = null;           // the last floor received
let floorAt = 0;            // performance.now() when it arrived: the countdowns start there
const cards = new Map();    // station name -> card element
const sessionRows = new Map();  // session id -> list item
const recentRows = new Map();   // recent session id -> list item

// ---- Small helpers -------------------------------------------------------------------------

function clock(seconds) {
  if (typeof seconds !== 'number' || !isFinite(seconds)) return '';
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function duration(seconds) {
  if (typeof seconds !== 'number' || !isFinite(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s % 60).padStart(2, '0')}s`;
}

function num(value, digits, unit = '') {
  return typeof value === 'number' && isFinite(value) ? value.toFixed(digits) + unit : '–';
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// Seconds left of something counting down, as of now (only while it is playing).
function remainingNow(item) {
  if (typeof item.remaining !== 'number') return null;
  const elapsed = item.state === 'playing' ? (performance.now() - floorAt) / 1000 : 0;
  return item.remaining - elapsed;
}

function showMessage(text) {
  const box = $('message');
  box.textContent = text;
  box.hidden = !text;
}

// ---- Talking to the director ---------------------------------------------------------------

// JSON in, JSON out; a 401 anywhere means the session is gone: back to the login.
async function api(method, path, body) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    return { ok: false, error: 'the director is not answering', status: 0 };
  }
  let reply;
  try {
    reply = await response.json();
  } catch (e) {
    reply = { ok: false, error: `unexpected answer (HTTP ${response.status})` };
  }
  if (typeof reply !== 'object' || reply === null) reply = { ok: false, error: 'unexpected answer' };
  reply.status = response.status;
  if (response.status === 401 && path !== '/api/login') showLogin('Your session ended: log in again.');
  return reply;
}

function setLink(state, text) {
  const link = $('link');
  link.dataset.state = state;
  link.textContent = text;
}

function connect() {
  disconnect();
  setLink('connecting', 'connecting…');
  events = new EventSource('/api/events');
  events.addEventListener('open', () => setLink('live', 'live'));
  events.addEventListener('floor', (e) => {
    setLink('live', 'live');
    try {
      render(JSON.parse(e.data));
    } catch (err) {
      console.error('bad floor event', err);
    }
  });
  events.addEventListener('problem', (e) => {
    try { showMessage('The director reported a problem: ' + JSON.parse(e.data).error); } catch (err) { /* ignore */ }
  });
  events.addEventListener('error', () => {
    setLink('connecting', 'reconnecting…');
    // CONNECTING: the browser retries by itself. CLOSED: it gave up (a 401, a 503...): find
    // out whether we are still logged in, then try again or show the login.
    if (events && events.readyState === EventSource.CLOSED) {
      disconnect();
      retryTimer = setTimeout(checkSession, 2000);
    }
  });
}

function disconnect() {
  if (events) events.close();
  events = null;
  clearTimeout(retryTimer);
  retryTimer = null;
}

async function checkSession() {
  const reply = await api('GET', '/api/floor');
  if (reply.status === 200) {
    showFloor();
    render(reply);
    connect();
  } else if (reply.status === 401) {
    showLogin('');
  } else {
    setLink('down', 'director unreachable');
    retryTimer = setTimeout(checkSession, 3000);
  }
}

// ---- Login ---------------------------------------------------------------------------------

function showLogin(text) {
  disconnect();
  $('floor').hidden = true;
  $('logout').hidden = true;
  $('link').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = text || '';
  $('password').focus();
}

function showFloor() {
  $('login').hidden = true;
  $('floor').hidden = false;
  $('logout').hidden = false;
  $('link').hidden = false;
}

async function login(event) {
  event.preventDefault();
  const button = $('login-button');
  button.disabled = true;
  $('login-error').textContent = '';
  const reply = await api('POST', '/api/login', { password: $('password').value });
  button.disabled = false;
  if (reply.ok) {
    $('password').value = '';
    showFloor();
    connect();
  } else {
    $('login-error').textContent = reply.error || 'login refused';
    $('password').select();
  }
}

async function logout() {
  await api('POST', '/api/logout', {});
  floor = null;
  showLogin('Logged out.');
}

// ---- Drawing the floor ---------------------------------------------------------------------

function render(next) {
  floor = next;
  floorAt = performance.now();
  renderTitles(next.titles || []);
  renderStations(next.stations || []);
  renderLaunchStations(next.stations || []);
  renderSessions(next.sessions || []);
  renderRecent(next.recent || []);
  if (window.pavDay) window.pavDay.render(next);  // the day's figures and moves (day.js)
  renderAlerts(next.alerts || []);
  tick();
}

// ---- The operator's desk: live views and alerts ----------------------------------------------

const alertRows = new Map();   // alert id -> list item
const heardAlerts = new Set(); // alert ids already announced with a sound
let enlarged = null;           // the station whose live view is enlarged
let audio = null;

function beep() {
  document.body.dataset.alertSounds = String(Number(document.body.dataset.alertSounds || 0) + 1);
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.6);
  } catch { /* no audio device: the flashing card still shows it */ }
}

function newAlertRow(id) {
  const li = el('li', { 'data-testid': `alert-${id}` },
    el('span', { class: 'kind' }), el('span', { class: 'what' }),
    el('button', { type: 'button', class: 'quiet', 'data-testid': `ack-${id}`, text: 'Acknowledge' }));
  li.querySelector('button').addEventListener('click', async (event) => {
    event.target.disabled = true;
    const reply = await api('POST', '/api/ack', { id: Number(id) });
    if (!reply.ok) showMessage(`Could not acknowledge alert ${id}: ${reply.error || 'refused'}`);
    event.target.disabled = false;
  });
  return li;
}

function renderAlerts(alerts) {
  syncRows($('alerts'), alerts, (a) => String(a.id), alertRows, newAlertRow, (li, a) => {
    li.querySelector('.kind').textContent = String(a.kind);
    const at = typeof a.raised === 'number' ? new Date(a.raised * 1000).toLocaleTimeString() : '';
    li.querySelector('.what').textContent = `${a.station}: ${a.detail || ''} (${at})`;
  });
  $('no-alerts').hidden = alerts.length > 0;
  $('alert-count').textContent = alerts.length ? `${alerts.length} open` : '';
  const alerting = new Set(alerts.map((a) => String(a.station)));
  for (const [name, card] of cards) card.classList.toggle('alerting', alerting.has(name));
  let fresh = false;
  for (const a of alerts) if (!heardAlerts.has(a.id)) { heardAlerts.add(a.id); fresh = true; }
  if (fresh) beep();
}

function liveFigure(card) { return card.querySelector('[data-field="live-figure"]'); }

function refreshLive(card, name, fast) {
  const img = field(card, 'live');
  if (img._loading) return;
  img._loading = true;
  const next = new Image();
  next.onload = () => {
    img._loading = false;
    img.src = next.src;
    img.hidden = false;
    field(card, 'live-note').textContent = fast ? 'live, 1/s' : 'live';
  };
  next.onerror = () => {
    img._loading = false;
    field(card, 'live-note').textContent = 'waiting for a picture…';
  };
  next.src = `/api/view?station=${encodeURIComponent(name)}${fast ? '&fast=1' : ''}&t=${Date.now()}`;
}

let liveTicks = 0;
function pollLive() {
  // Nobody looks at a hidden page: it asks for nothing, and the stations stop sending.
  if (document.hidden || !floor) return;
  const slow = liveTicks++ % 2 === 0;
  for (const [name, card] of cards) {
    const s = card._station;
    const wanted = s && s.online && s.health && s.health.headset === true;
    if (!wanted) {
      field(card, 'live').hidden = true;
      field(card, 'live-note').textContent = s && s.online ? 'no headset: no live view' : 'no live view';
      continue;
    }
    const fast = enlarged === name;
    if (fast || slow) refreshLive(card, name, fast);
  }
}

function toggleEnlarged(name) {
  if (enlarged && cards.get(enlarged)) liveFigure(cards.get(enlarged)).classList.remove('enlarged');
  enlarged = enlarged === name ? null : name;
  if (enlarged) liveFigure(cards.get(enlarged)).classList.add('enlarged');
  pollLive();
}

function renderTitles(titles) {
  const select = $('launch-title');
  const current = select.value;
  const same = select.options.length === titles.length &&
    titles.every((t, i) => select.options[i].value === String(t));
  if (same) return;
  select.replaceChildren(...titles.map((t) => el('option', { value: String(t), text: String(t) })));
  if (titles.includes(current)) select.value = current;
}

function field(node, name) {
  return node.querySelector(`[data-field="${name}"]`);
}

// Moves `node` to position `index` of `parent` only when it is elsewhere: a node moved in the
// DOM loses a click in progress, and the floor changes several times a second.
function placeAt(parent, node, index) {
  if (parent.children[index] !== node) parent.insertBefore(node, parent.children[index] || null);
}

// One element per item, kept across updates (a name being typed, a click in progress survive):
// `rows` maps each item's key to its element, made by `make(key)` once, put in the items'
// order and filled by `fill(element, item, key)`; the elements of items that are gone go too.
function syncRows(container, items, keyOf, rows, make, fill) {
  const seen = new Set();
  items.forEach((item, index) => {
    const key = keyOf(item);
    seen.add(key);
    let row = rows.get(key);
    if (!row) {
      row = make(key);
      rows.set(key, row);
    }
    placeAt(container, row, index);
    fill(row, item, key);
  });
  for (const [key, row] of rows) {
    if (!seen.has(key)) {
      row.remove();
      rows.delete(key);
    }
  }
}

function newCard(name) {
  const card = $('card-template').content.firstElementChild.cloneNode(true);
  card.dataset.testid = `station-${name}`;
  card.dataset.station = name;
  const stop = card.querySelector('[data-action="stop"]');
  stop.dataset.testid = `stop-${name}`;
  stop.addEventListener('click', () => stopTarget(name, stop));
  // What its visitors hear (the director keeps it; a station that reconnects gets it again).
  const volume = card.querySelector('[data-action="volume"]');
  volume.dataset.testid = `volume-${name}`;
  volume.addEventListener('change', () => setVolume(name, { volume: Number(volume.value) }, volume));
  const mute = card.querySelector('[data-action="mute"]');
  mute.dataset.testid = `mute-${name}`;
  mute.addEventListener('click', () => setVolume(name, { muted: !(card._station && card._station.muted) }, mute));
  const logs = card.querySelector('[data-action="logs"]');
  logs.dataset.testid = `logs-${name}`;
  logs.addEventListener('click', () => showLogs(name));
  const live = card.querySelector('[data-field="live-figure"]');
  live.dataset.testid = `live-${name}`;
  live.addEventListener('click', () => toggleEnlarged(name));
  return card;
}

function renderStations(stations) {
  const sorted = [...stations].sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || String(a.name).localeCompare(String(b.name)));
  syncRows($('stations'), sorted, (s) => String(s.name), cards, newCard, (card, s, name) => {
    const state = s.online === false ? 'offline' : String(s.state || 'idle');
    card.dataset.state = state;
    field(card, 'number').textContent = s.number ?? '';
    field(card, 'name').textContent = name;
    const online = field(card, 'online');
    online.textContent = s.online ? 'online' : 'offline';
    online.className = 'online ' + (s.online ? 'yes' : 'no');
    field(card, 'state').textContent = state;
    field(card, 'title').textContent = s.title || '';
    field(card, 'session').textContent = s.session ? `${s.session}${typeof s.seat === 'number' ? ' · seat ' + (s.seat + 1) : ''}` : '';
    const h = s.health || {};
    field(card, 'fps').textContent = num(h.fps, 1);
    field(card, 'fps').classList.toggle('bad', typeof h.fps === 'number' && h.fps > 0 && h.fps < 55);
    field(card, 'missed').textContent = typeof h.missedFrames === 'number' ? String(h.missedFrames) : '–';
    field(card, 'missed').classList.toggle('bad', h.missedFrames > 0);
    field(card, 'rtt').textContent = num(h.rttMs, 0, ' ms');
    field(card, 'rtt').classList.toggle('bad', h.rttMs > 50);
    field(card, 'loss').textContent = typeof h.loss === 'number' ? (h.loss * 100).toFixed(1) + ' %' : '–';
    field(card, 'loss').classList.toggle('bad', h.loss > 0.02);
    field(card, 'uptime').textContent = duration(h.uptime);
    field(card, 'headset').textContent = h.headset === true ? 'yes' : h.headset === false ? 'no' : '–';
    // The session's link (net/PROTOCOL.md, "Outages"): what the visitor is told now.
    const link = LINK_TEXT[h.link] ?? '–';
    field(card, 'link').textContent = busyLink(state) ? link : '–';
    field(card, 'link').classList.toggle('bad', busyLink(state) && (h.link === 'interrupted' || h.link === 'bot'));
    field(card, 'down').textContent = num(h.downKbps, 1, ' kbps');
    field(card, 'outages').textContent = typeof h.outages === 'number'
      ? (h.outages ? `${h.outages} (longest ${num(h.longestOutageMs, 0, ' ms')}, correction ${num(h.correctionMm, 1, ' mm')})` : '0')
      : '–';
    field(card, 'present').textContent = h.present === true ? 'yes' : h.present === false ? 'OFF' : '–';
    field(card, 'present').classList.toggle('bad', h.present === false);
    // The visitor's smart trainer: connected (riding) with its power and cadence, or its state.
    const t = h.trainer;
    const trainer = field(card, 'trainer');
    trainer.textContent = !t ? '–' : t.state === 'riding' ? `riding · ${num(t.watts, 0, ' W')} · ${num(t.cadenceRpm, 0, ' rpm')}` : t.state;
    trainer.classList.toggle('bad', !!t && t.state !== 'riding');
    const seenText = field(card, 'seen');
    seenText.textContent = typeof s.lastSeen === 'number' ? `seen ${num(s.lastSeen, 1)} s ago` : '';
    seenText.classList.toggle('late', s.lastSeen > 3);
    card.querySelector('[data-action="stop"]').hidden = !(s.online && BUSY.has(state));
    const level = typeof s.volume === 'number' ? s.volume : 100;
    const range = card.querySelector('[data-action="volume"]');
    if (document.activeElement !== range) range.value = String(level);
    field(card, 'volume').textContent = s.muted ? 'muted' : `${level} %`;
    card.querySelector('[data-action="mute"]').textContent = s.muted ? 'Unmute' : 'Mute';
    card._station = s;
  });
  $('no-stations').hidden = stations.length > 0;
  const online = stations.filter((s) => s.online).length;
  $('station-count').textContent = stations.length ? `${online} of ${stations.length} online` : '';
}

function renderLaunchStations(stations) {
  const box = $('launch-stations');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  const free = stations.filter((s) => s.online && s.state === 'idle')
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  const names = free.map((s) => String(s.name));
  const current = [...box.querySelectorAll('input')].map((i) => i.value);
  if (names.join('\n') !== current.join('\n')) {
    box.replaceChildren(...free.map((s) => {
      const name = String(s.name);
      const input = el('input', { type: 'checkbox', value: name, 'data-testid': `check-${name}` });
      input.checked = checked.has(name);
      return el('label', {}, input, document.createTextNode(name));
    }));
  }
  $('launch-no-stations').hidden = free.length > 0;
}

function newSessionRow(id) {
  const stop = el('button', { type: 'button', class: 'danger', 'data-testid': `stop-session-${id}`, text: 'Stop' });
  stop.addEventListener('click', () => stopTarget(id, stop));
  return el('li', { 'data-testid': `session-${id}` },
    el('span', { class: 'sid', text: id }),
    el('span', {}, el('strong', { 'data-field': 'title' }), document.createTextNode(' '),
      el('span', { class: 'dim', 'data-field': 'detail' }),
      el('span', { class: 'dim link', 'data-field': 'link', 'data-testid': `link-${id}` })),
    el('span', { class: 'clock', 'data-field': 'remaining' }),
    stop);
}

// The server's link figures per seat (issue 19), by station: the budget in force (the operator's
// or the estimate), what was sent against it, the snapshot rate, the snapshots cut to fit, the
// outages and the longest.
function linkText(s) {
  if (!Array.isArray(s.link)) return '';
  return s.link.map((f) => {
    const who = Array.isArray(s.stations) && s.stations[f.seat] !== undefined ? String(s.stations[f.seat]) : `seat ${f.seat}`;
    const parts = [`${Math.round(f.usedKbps)} of ${Math.round(f.budgetKbps)} kbps`, `${Math.round(f.snapshotHz)} Hz`];
    if (f.partial > 0) parts.push(`${f.partial} cut`);
    if (f.outages > 0) parts.push(`${f.outages} outage(s), longest ${Math.round(f.longestOutageMs)} ms`);
    return `${who}: ${parts.join(', ')}`;
  }).join(' · ');
}

function renderSessions(sessions) {
  syncRows($('sessions'), sessions, (s) => String(s.id), sessionRows, newSessionRow, (row, s) => {
    row.dataset.state = String(s.state || '');
    field(row, 'title').textContent = String(s.title || '');
    const stations = Array.isArray(s.stations) ? s.stations.map(String).join(', ') : '';
    const starts = s.state === 'loading' && s.startsIn > 0 ? `starts in ${Math.ceil(s.startsIn)} s` : '';
    const budget = s.budgetKbps > 0 ? `budget ${Math.round(s.budgetKbps)} kbps` : '';
    field(row, 'detail').textContent = [stations, s.difficulty, s.lang, budget, s.state, starts].filter(Boolean).join(' · ');
    field(row, 'link').textContent = linkText(s);
    row.querySelector('button').hidden = !BUSY.has(s.state);
    row._session = s;
  });
  $('no-sessions').hidden = sessions.length > 0;
}

// When a session ended, as people say it: the time of day, with the date when not today.
function endedText(unixSeconds) {
  if (typeof unixSeconds !== 'number' || !isFinite(unixSeconds) || unixSeconds <= 0) return '';
  const when = new Date(unixSeconds * 1000);
  const time = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return when.toDateString() === new Date().toDateString() ? `ended ${time}` : `ended ${when.toLocaleDateString()} ${time}`;
}

// A row that stays while its session is listed: the name being typed survives floor updates.
function newRecentRow(id) {
  const name = el('input', {
    type: 'text', maxlength: '64', placeholder: id, autocomplete: 'off', spellcheck: 'false',
    'data-testid': `keep-name-${id}`, 'aria-label': `Name for the kept replay of ${id} (optional, default ${id})`,
  });
  const button = el('button', { type: 'submit', 'data-testid': `keep-${id}`, text: 'Keep replay' });
  const form = el('form', { class: 'keep-form', 'data-field': 'keep-form', autocomplete: 'off' }, name, button);
  const row = el('li', { 'data-testid': `recent-${id}` },
    el('span', { class: 'sid', text: id }),
    el('span', {}, el('strong', { 'data-field': 'title' }), document.createTextNode(' '),
      el('span', { class: 'dim', 'data-field': 'detail' })),
    el('span', { class: 'keep' }, form,
      el('span', { class: 'kept', 'data-field': 'kept', 'data-testid': `kept-${id}` })),
    el('p', { class: 'result', role: 'status', tabindex: '-1', 'data-field': 'result', 'data-testid': `keep-result-${id}` }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    keepReplay(id, row);
  });
  return row;
}

function renderRecent(recent) {
  syncRows($('recent'), recent, (r) => String(r.id), recentRows, newRecentRow, (row, r) => {
    field(row, 'title').textContent = String(r.title || '');
    const stations = Array.isArray(r.stations) ? r.stations.map(String).join(', ') : '';
    field(row, 'detail').textContent = [stations, r.endReason, endedText(r.endedAt)].filter(Boolean).join(' · ');
    const kept = field(row, 'kept');
    const form = field(row, 'keep-form');
    if (r.kept) {
      kept.textContent = `Kept as ${r.kept}: ${r.keptPath || ''}`;
      kept.title = String(r.keptPath || '');
    } else {
      kept.textContent = r.replay ? '' : 'No replay recorded.';
      kept.removeAttribute('title');
    }
    kept.hidden = !kept.textContent;
    // Moving focus out of a form that disappears: to the row's result, read out by its role.
    const canKeep = !r.kept && r.replay === true;
    if (!canKeep && form.contains(document.activeElement)) field(row, 'result').focus();
    form.hidden = !canKeep;
    row.dataset.kept = r.kept ? 'yes' : 'no';
  });
  $('no-recent').hidden = recent.length > 0;
}

// Counts the clocks down between events.
function tick() {
  for (const card of cards.values()) {
    const s = card._station;
    const left = s && BUSY.has(s.state) && s.online ? remainingNow(s) : null;
    field(card, 'remaining').textContent = left === null ? '' : clock(left);
  }
  for (const row of $('sessions').children) {
    const left = row._session ? remainingNow(row._session) : null;
    field(row, 'remaining').textContent = left === null ? '' : clock(left);
  }
}

// ---- Actions -------------------------------------------------------------------------------

async function launch(event) {
  event.preventDefault();
  const result = $('launch-result');
  const stations = [...$('launch-stations').querySelectorAll('input:checked')].map((i) => i.value);
  const minutes = Number($('launch-minutes').value);
  const lobby = Number($('launch-lobby').value);
  const budget = Number($('launch-budget').value || 0);
  const lang = $('launch-lang').value;
  result.className = 'result bad';
  if (!$('launch-title').value) { result.textContent = 'Choose a title.'; return; }
  if (stations.length === 0) { result.textContent = 'Choose at least one free station.'; return; }
  if (!Number.isFinite(minutes) || minutes <= 0) { result.textContent = 'Minutes must be a positive number.'; return; }
  if (!Number.isFinite(lobby) || lobby < 0 || lobby > 600) { result.textContent = 'The lobby is 0 to 600 seconds.'; return; }
  if (!Number.isFinite(budget) || (budget !== 0 && (budget < 16 || budget > 1000000))) {
    result.textContent = 'The budget is 16 to 1000000 kbps per station, or 0 to estimate it from each link.';
    return;
  }
  const button = $('launch-button');
  button.disabled = true;
  result.className = 'result';
  result.textContent = 'Launching…';
  const reply = await api('POST', '/api/launch', {
    title: $('launch-title').value, stations, minutes, difficulty: $('launch-difficulty').value, lobby,
    ...(lang ? { lang } : {}),
    ...(budget > 0 ? { budget_kbps: budget } : {}),
  });
  button.disabled = false;
  if (reply.ok) {
    result.className = 'result good';
    result.textContent = `Launched ${reply.session || ''} on ${stations.join(', ')}.`;
    for (const input of $('launch-stations').querySelectorAll('input')) input.checked = false;
  } else {
    result.className = 'result bad';
    result.textContent = reply.error || 'The launch was refused.';
  }
}

async function stopTarget(target, button) {
  button.disabled = true;
  const reply = await api('POST', '/api/stop', { target });
  button.disabled = false;
  showMessage(reply.ok ? '' : `Could not stop ${target}: ${reply.error || 'refused'}`);
}

async function setVolume(station, change, control) {
  control.disabled = true;
  const reply = await api('POST', '/api/volume', { station, ...change });
  control.disabled = false;
  showMessage(reply.ok ? '' : `Could not set the volume of ${station}: ${reply.error || 'refused'}`);
}

async function keepReplay(id, row) {
  const input = row.querySelector('input');
  const button = row.querySelector('button');
  const result = field(row, 'result');
  const name = input.value.trim();
  button.disabled = true;
  result.className = 'result';
  result.textContent = 'Keeping…';
  const reply = await api('POST', '/api/keep', name ? { session: id, name } : { session: id });
  button.disabled = false;
  if (reply.ok) {
    result.className = 'result good';
    result.textContent = `Kept the replay of ${id} in ${reply.path || '?'} (on the director's machine).`;
    input.value = '';
  } else {
    result.className = 'result bad';
    result.textContent = `Could not keep ${id}: ${reply.error || 'refused'}`;
  }
}

async function showLogs(station) {
  $('logs-station').textContent = station;
  $('logs-lines').textContent = 'Loading…';
  $('logs').hidden = false;
  const reply = await api('GET', '/api/logs?station=' + encodeURIComponent(station));
  $('logs-lines').textContent = reply.ok
    ? (Array.isArray(reply.lines) ? reply.lines.map(String).join('\n') : '') || '(empty)'
    : `Could not read the log: ${reply.error || 'refused'}`;
  $('logs').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

// ---- Start ---------------------------------------------------------------------------------

$('login-form').addEventListener('submit', login);
$('launch-form').addEventListener('submit', launch);
$('logout').addEventListener('click', logout);
$('logs-close').addEventListener('click', () => { $('logs').hidden = true; });
setInterval(tick, 250);
setInterval(pollLive, 1000);
checkSession();
