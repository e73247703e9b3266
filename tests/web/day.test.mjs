// The dashboard's day and a move (issue 20) in a real browser, end to end: the real `pavilion
// director`, two real station agents (bots, headless), Debian's Chromium driven by playwright-core.
//
//   node day.test.mjs /path/to/pavilion [artifacts-folder]
//
// Logs in; the day panel says the day is empty; launches hockey on station-1; the day's SVG
// chart gets a hockey bar in this hour and the figures a hockey row; moves station-1's visitor
// to station-2 from station-1's card (the card's "Move to"): station-2 plays seat 1 of the same
// session and station-1 goes back to idle; a move of an idle station and a bad day are refused
// with the director's reason; stops the session from station-2's card and sees the figures say
// 1 session, 0 completed of 1 ended; another day is empty. The day panel's picture goes to the
// artifacts folder (day-panel.png) on success, a screenshot of the page on failure.
// ctest registers it as web.day (tests/web/CMakeLists.txt), after `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const PAVILION = process.argv[2];
const ARTIFACTS = process.argv[3] || null;
const CHROMIUM = process.env.PAV_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'floor-operator-7';
const DEADLINE_MS = 270_000;  // under ctest's TIMEOUT 300, so the cleanup below always runs

import { start, setMarker, listening, sleep, check, until, runTest } from './floor_harness.mjs';

function step(text) { console.log(`web.day: ${text}`); }

// ---- The test ------------------------------------------------------------------------------

async function run(tmp) {
  check(PAVILION && fs.existsSync(PAVILION), `usage: node day.test.mjs /path/to/pavilion (got ${PAVILION})`);
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (tools/install-deps.sh)`);
  const runtime = path.join(tmp, 'xdg-runtime');
  fs.mkdirSync(runtime, { mode: 0o700 });
  setMarker(`PAV_WEB_TEST=${tmp}`);
  const env = { ...process.env, PAV_WEB_TEST: tmp, XDG_RUNTIME_DIR: runtime, XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_STATE_HOME: path.join(tmp, 'state'), HOME: process.env.HOME || tmp };
  const key = path.join(tmp, 'pavilion.key');
  const stationKey = path.join(tmp, 'pavilion.station.key');
  const init = spawnSync(PAVILION, ['director', '--init', '--key', key, '--password', PASSWORD], { env, encoding: 'utf8', timeout: 30_000 });
  check(init.status === 0, `pavilion director --init failed (${init.status}): ${init.stderr}${init.stdout}`);
  step('starting the director and two stations');
  const director = start('director', ['director', '--key', key, '--port', '0', '--http', '0',
    '--state-dir', path.join(tmp, 'director-state'), '--json'], env);
  const ports = await listening(director, 30_000);
  for (const name of ['station-1', 'station-2'])
    start(name, ['station', '--director', `127.0.0.1:${ports.control}`, '--name', name, '--key', stationKey, '--bot', '--headless'], env);
  const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, env: { ...env, HOME: tmp }, timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/401|Unauthorized/.test(m.text())) problems.push(`console: ${m.text()}`); });
    try {
      await drive(page, `http://127.0.0.1:${ports.http}/`);
      check(problems.length === 0, `the page reported problems:\n  ${problems.join('\n  ')}`);
    } catch (e) {
      if (problems.length) e.message += `\npage problems:\n  ${problems.join('\n  ')}`;
      if (ARTIFACTS) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'day-failure.png'), fullPage: true }).catch(() => {});
        e.message += `\nscreenshot: ${path.join(ARTIFACTS, 'day-failure.png')}`;
      }
      throw e;
    }
  } finally {
    await context.close().catch(() => {});
  }
}

async function drive(page, url) {
  const byId = (id) => page.getByTestId(id);
  await page.goto(url, { waitUntil: 'load' });
  // The day and moves need a login, like every /api/ route.
  const anonymous = await page.evaluate(async () => [(await fetch('/api/report')).status,
    (await fetch('/api/move', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"station":"1","to":"2"}' })).status]);
  check(anonymous[0] === 401 && anonymous[1] === 401, `without a login: ${anonymous}`);
  await byId('password').fill(PASSWORD);
  await byId('login-button').click();
  await byId('floor').waitFor({ state: 'visible', timeout: 30_000 });
  const state = (name) => byId(`station-${name}`).getByTestId('state').textContent();
  await until('both stations online and idle', async () => (await state('station-1')) === 'idle' && (await state('station-2')) === 'idle', 60_000);

  step('an empty day says so');
  const today = await page.evaluate(async () => (await (await fetch('/api/report')).json()).report.day);
  check(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(today), `the day: ${today}`);
  await until('the empty day', async () => (await byId('day-empty').isVisible()) &&
    (await byId('day-empty').textContent()) === `No sessions recorded on ${today}.`, 15_000);

  step('a move of an idle station and a bad day are refused, with the reason');
  const post = (route, body) => page.evaluate(async ([r, b]) => (await fetch(r, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).json(), [route, body]);
  const idleMove = await post('/api/move', { station: 'station-1', to: 'station-2' });
  check(!idleMove.ok && idleMove.error === 'station-1 is not playing (it is idle): only a visitor in play can move',
    `an idle move: ${JSON.stringify(idleMove)}`);
  const badDay = await page.evaluate(async () => (await fetch('/api/report?day=2026-02-30')).json());
  check(!badDay.ok && badDay.error.startsWith("bad day '2026-02-30': a date is YYYY-MM-DD"), `a bad day: ${JSON.stringify(badDay)}`);

  step('launching hockey on station-1');
  const launched = await post('/api/launch', { title: 'hockey', stations: ['station-1'], minutes: 2, difficulty: 'easy', lobby: 0 });
  check(launched.ok, `the launch: ${JSON.stringify(launched)}`);
  await until('station-1 playing', async () => (await state('station-1')) === 'playing', 60_000);
  const bar = page.locator('[data-testid^="day-bar-hockey-"]');
  await until('a hockey bar in the day chart', async () => (await bar.count()) === 1 && (await bar.getAttribute('data-count')) === '1', 15_000);
  check(await byId('day-chart').evaluate((n) => n.namespaceURI === 'http://www.w3.org/2000/svg'), 'the chart is not an SVG');
  check((await byId('day-title-hockey').textContent()).startsWith('hockey1'), `the hockey row: ${await byId('day-title-hockey').textContent()}`);

  step("moving station-1's visitor to station-2 from its card");
  const move = byId('move-station-1');
  await move.waitFor({ state: 'visible', timeout: 15_000 });
  await until('station-2 offered', async () => (await byId('move-to-station-1').locator('option').allTextContents()).includes('station-2'));
  await byId('move-to-station-1').selectOption('station-2');
  await move.click();
  const moved = await until('the move result', async () => {
    const text = await byId('move-result').textContent();
    return text && !text.startsWith('Moving') ? text : null;
  }, 20_000);
  check(moved === `Moved seat 1 of ${launched.session} from station-1 to station-2.`, `the move said: ${moved}`);
  await until('station-2 playing seat 1 of the session', async () => (await state('station-2')) === 'playing' &&
    (await byId('station-station-2').locator('[data-field="session"]').textContent()) === `${launched.session} · seat 1`, 60_000);
  await until('station-1 back to idle', async () => (await state('station-1')) === 'idle', 60_000);
  check(await byId('move-station-1').isHidden(), 'an idle card offers Move');

  step('stopping the session from station-2, then the figures');
  await byId('stop-station-2').click();
  await until('station-2 idle', async () => (await state('station-2')) === 'idle', 60_000);
  await until('the day to count the stopped session', async () =>
    (await byId('day-summary').textContent()).startsWith('1 session(s), 0 completed of 1 ended (0 %)'), 30_000);
  for (const name of ['station-1', 'station-2'])
    check(await byId(`day-station-${name}`).isVisible(), `the day has no row for ${name}`);
  if (ARTIFACTS) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await byId('day-panel').screenshot({ path: path.join(ARTIFACTS, 'day-panel.png') });
    step(`the day panel: ${path.join(ARTIFACTS, 'day-panel.png')}`);
  }

  step('another day is empty');
  await byId('day-date').fill('2020-01-01');
  await until('2020-01-01 empty', async () => (await byId('day-empty').textContent()) === 'No sessions recorded on 2020-01-01.' &&
    (await byId('day-chart').count()) === 0, 15_000);
}

// ---- Main ----------------------------------------------------------------------------------

runTest('web.day', DEADLINE_MS, run);
