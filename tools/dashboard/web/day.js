// The dashboard's day and moves (issue 20), beside app.js: the day's figures from the director's
// day book (GET /api/report?day=YYYY-MM-DD, the same JSON `pavilion ctl report --json` prints)
// drawn as an SVG chart of sessions per hour by title with the figures under it, and the "Move to"
// control on a playing station's card (POST /api/move {station, to}).
//
// app.js calls window.pavDay.render(floor) after each floor it draws. The report is fetched when
// the page first shows the floor, when a session starts or ends (the sessions or the recent ones
// change), when the day
// is changed, and on "Refresh".
// Test hooks: "day-date", "day-refresh", "day-chart" (the <svg>), "day-bar-<title>-<HH>" on each
// bar (data-count: its sessions), "day-summary", "day-title-<title>", "day-station-<name>",
// "day-empty", "day-error"; on a card "move-to-<station>" (the select), "move-<station>" (the
// button); the move's outcome in "move-result".
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4fb3ff', '#ffb347', '#7ed37e', '#e07be0', '#f0e060', '#ff7b7b', '#7be0d7', '#b0a0ff'];
  let lastRecent = null;   // the recent sessions' ids last seen: a change means a session ended
  let loading = false, again = false;

  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function percent(share) {
    return typeof share === 'number' && isFinite(share) ? `${Math.round(share * 100)} %` : '–';
  }
  function hh(h) { return String(h).padStart(2, '0'); }
  function timeOf(unix) {
    return typeof unix === 'number' ? new Date(unix * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  }

  // ---- The chart: one stacked bar per hour, a colour per title -----------------------------
  function drawChart(report) {
    const box = $('day-chart-box');
    const titles = Array.isArray(report.titles) ? report.titles : [];
    const first = Number.isInteger(report.firstHour) ? report.firstHour : -1;
    const last = Number.isInteger(report.lastHour) ? report.lastHour : -1;
    if (first < 0 || titles.length === 0) {
      box.replaceChildren();
      return;
    }
    // At least a six-hour window, so one busy hour does not fill the width.
    const from = Math.max(0, Math.min(first, 24 - 6)), to = Math.max(last, from + 5);
    const hours = report.hours || [];
    const peak = Math.max(1, ...hours.slice(from, to + 1).map(Number).filter(Number.isFinite));
    const W = 640, H = 220, left = 34, bottom = 24, top = 20, right = 8;
    const band = (W - left - right) / (to - from + 1), bar = Math.max(4, band * 0.7);
    const scale = (H - top - bottom) / peak;
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'day-chart', 'data-testid': 'day-chart',
      'aria-label': `Sessions per hour by title on ${report.day}` });
    // Axis and grid: whole numbers of sessions.
    const step = Math.max(1, Math.ceil(peak / 5));
    for (let n = 0; n <= peak; n += step) {
      const y = H - bottom - n * scale;
      chart.append(svg('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'grid' }),
        svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, String(n)));
    }
    for (let h = from; h <= to; ++h) {
      const x = left + (h - from) * band + (band - bar) / 2;
      chart.append(svg('text', { x: x + bar / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis' }, hh(h)));
      let y = H - bottom;
      titles.forEach((t, i) => {
        const count = Array.isArray(t.hours) ? Number(t.hours[h]) || 0 : 0;
        if (count <= 0) return;
        const height = count * scale;
        y -= height;
        const rect = svg('rect', { x, y, width: bar, height, fill: PALETTE[i % PALETTE.length],
          'data-testid': `day-bar-${t.title}-${hh(h)}`, 'data-count': count });
        rect.append(svg('title', {}, `${t.title}, ${hh(h)}:00: ${count} session(s)`));
        chart.append(rect);
      });
      const total = Number(hours[h]) || 0;
      if (total > 0) chart.append(svg('text', { x: x + bar / 2, y: y - 4, 'text-anchor': 'middle', class: 'total' }, String(total)));
    }
    const legend = document.createElement('p');
    legend.className = 'legend';
    titles.forEach((t, i) => {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = PALETTE[i % PALETTE.length];
      legend.append(swatch, document.createTextNode(` ${t.title}  `));
    });
    box.replaceChildren(chart, legend);
  }

  // ---- The figures ---------------------------------------------------------------------------
  function row(cells, testid) {
    const tr = document.createElement('tr');
    if (testid) tr.dataset.testid = testid;
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.append(td);
    }
    return tr;
  }

  function drawFigures(report) {
    const sessions = Number(report.sessions) || 0;
    $('day-empty').hidden = sessions > 0;
    $('day-empty').textContent = `No sessions recorded on ${report.day}.`;
    $('day-figures').hidden = sessions === 0;
    if (sessions === 0) return;
    $('day-summary').textContent = `${sessions} session(s), ${report.completed} completed of ${report.ended} ended ` +
      `(${percent(report.completionRate)}), floor open ${timeOf(report.openFrom)}–${timeOf(report.openTo)}`;
    $('day-titles').replaceChildren(...(report.titles || []).map((t) => row([
      String(t.title), String(t.sessions), String(t.visitors), `${t.completed} of ${t.ended} (${percent(t.completionRate)})`,
      typeof t.averageRank === 'number' ? t.averageRank.toFixed(2) : '–', String(t.wins)], `day-title-${t.title}`)));
    $('day-stations').replaceChildren(...(report.stations || []).map((s) => row([
      String(s.station), String(s.sessions), `${(Number(s.busySeconds) / 60).toFixed(1)} min`, percent(s.utilisation)],
    `day-station-${s.station}`)));
  }

  async function load() {
    if (loading) { again = true; return; }
    loading = true;
    const day = $('day-date').value;
    try {
      const response = await fetch('/api/report' + (day ? '?day=' + encodeURIComponent(day) : ''), { credentials: 'same-origin' });
      const reply = await response.json().catch(() => ({ ok: false, error: `unexpected answer (HTTP ${response.status})` }));
      $('day-error').textContent = reply.ok ? '' : `Could not read the day: ${reply.error || 'refused'}`;
      if (reply.ok && reply.report) {
        $('day-heading-date').textContent = String(reply.report.day || '');
        drawChart(reply.report);
        drawFigures(reply.report);
      }
    } catch (e) {
      $('day-error').textContent = 'Could not read the day: the director is not answering';
    } finally {
      loading = false;
      if (again) { again = false; load(); }
    }
  }

  // ---- Moving a visitor ----------------------------------------------------------------------
  async function move(station, select, button) {
    const to = select.value;
    const result = $('move-result');
    if (!to) { result.textContent = `Choose an idle station to move ${station}'s visitor to.`; return; }
    button.disabled = true;
    result.textContent = `Moving ${station} to ${to}…`;
    let reply;
    try {
      const response = await fetch('/api/move', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ station, to }) });
      reply = await response.json();
    } catch (e) {
      reply = { ok: false, error: 'the director is not answering' };
    }
    button.disabled = false;
    result.textContent = reply.ok
      ? `Moved seat ${Number(reply.seat) + 1} of ${reply.session} from ${reply.from} to ${reply.to}.`
      : `Could not move ${station}: ${reply.error || 'refused'}`;
  }

  function wireCard(card, free) {
    const name = card.dataset.station;
    const box = card.querySelector('[data-field="move-box"]');
    if (!box) return;
    const select = box.querySelector('select');
    const button = box.querySelector('button');
    if (!card.dataset.moveWired) {
      card.dataset.moveWired = 'yes';
      select.dataset.testid = `move-to-${name}`;
      button.dataset.testid = `move-${name}`;
      button.addEventListener('click', () => move(name, select, button));
    }
    const state = card.dataset.state;
    box.hidden = !(state === 'playing' || state === 'warning');
    const options = free.filter((n) => n !== name);
    const current = [...select.options].map((o) => o.value);
    if (options.join('\n') !== current.join('\n')) {
      const chosen = select.value;
      select.replaceChildren(...options.map((n) => {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        return o;
      }));
      if (options.includes(chosen)) select.value = chosen;
    }
  }

  function render(floor) {
    const stations = Array.isArray(floor.stations) ? floor.stations : [];
    const free = stations.filter((s) => s.online && s.state === 'idle').map((s) => String(s.name));
    for (const card of $('stations').children) wireCard(card, free);
    // A launch adds a session, an end moves it to the recent ones: either changes the day.
    const recent = [floor.sessions, floor.recent].map((list) => (Array.isArray(list) ? list : []).map((r) => r.id).join(',')).join('|');
    if (recent !== lastRecent) {
      lastRecent = recent;
      load();
    }
  }

  $('day-date').addEventListener('change', load);
  $('day-refresh').addEventListener('click', load);
  window.pavDay = { render, load };
})();
