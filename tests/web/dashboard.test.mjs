// The director's dashboard in a real browser, end to end: the real `pavilion director`, one
// real station agent (a bot, headless), Debian's Chromium driven by playwright-core.
//
//   node dashboard.test.mjs /path/to/pavilion [artifacts-folder]
//
// Logs in (a wrong password first), waits for station-1 online and idle, launches hockey on it
// from the form, sees the card turn "playing" live (Server-Sent Events, no reload), stops it
// from the card, sees it idle again; sees the ended session under Recent sessions, has a bad
// name refused, keeps its replay (Enter in the name field) and finds the file on disk; mutes
// station-1 from its card and sets its volume.
// Every child is killed at the end, also on failure; on
// failure a screenshot and the children's output go to the artifacts folder. ctest registers
// it as web.dashboard (tests/web/CMakeLists.txt), which runs `npm ci` first.
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

function step(text) {
  console.log(`web.dashboard: ${text}`);
}

// ---- The test ------------------------------------------------------------------------------

async function run(tmp) {
  check(PAVILION && fs.existsSync(PAVILION), `usage: node dashboard.test.mjs /path/to/pavilion (got ${PAVILION})`);
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (tools/install-deps.sh)`);

  const runtime = path.join(tmp, 'xdg-runtime');
  fs.mkdirSync(runtime, { mode: 0o700 });
  setMarker(`PAV_WEB_TEST=${tmp}`);
  const env = {
    ...process.env,
    PAV_WEB_TEST: tmp,
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_STATE_HOME: path.join(tmp, 'state'),
    HOME: process.env.HOME || tmp,
  };
  const key = path.join(tmp, 'pavilion.key');
  const stationKey = path.join(tmp, 'pavilion.station.key');  // --init writes it next to the operator's

  step('writing the key');
  const init = spawnSync(PAVILION, ['director', '--init', '--key', key, '--password', PASSWORD], { env, encoding: 'utf8', timeout: 30_000 });
  check(init.status === 0, `pavilion director --init failed (${init.status}): ${init.stderr}${init.stdout}`);

  step('starting the director');
  const director = start('director', ['director', '--key', key, '--port', '0', '--http', '0',
    '--state-dir', path.join(tmp, 'director-state'), '--json'], env);
  const ports = await listening(director, 30_000);
  check(ports.control > 0 && ports.http > 0, `the director's ports: ${JSON.stringify(ports)}`);
  const url = `http://127.0.0.1:${ports.http}/`;
  step(`director on control port ${ports.control}, dashboard ${url}`);

  step('starting station-1');
  start('station-1', ['station', '--director', `127.0.0.1:${ports.control}`, '--name', 'station-1',
    '--key', stationKey, '--bot', '--headless'], env);

  step('starting chromium');
  const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...env, HOME: tmp },
    timeout: 60_000,
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/401|Unauthorized/.test(m.text())) problems.push(`console: ${m.text()}`); });
    let loads = 0;
    page.on('load', () => { loads++; });
    try {
      await drive(page, url, path.join(tmp, 'director-state'));
      check(loads === 1, `the page loaded ${loads} times: updates must come live, without a reload`);
      check(problems.length === 0, `the page reported problems:\n  ${problems.join('\n  ')}`);
    } catch (e) {
      if (problems.length) e.message += `\npage problems:\n  ${problems.join('\n  ')}`;
      if (ARTIFACTS) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-failure.png'), fullPage: true }).catch(() => {});
        e.message += `\nscreenshot: ${path.join(ARTIFACTS, 'dashboard-failure.png')}`;
      }
      throw e;
    }
  } finally {
    await context.close().catch(() => {});
  }
}

async function drive(page, url, stateDir) {
  const byId = (id) => page.getByTestId(id);
  step(`opening ${url}`);
  await page.goto(url, { waitUntil: 'load' });
  await byId('login').waitFor({ state: 'visible', timeout: 30_000 });
  check(await byId('floor').isHidden(), 'the floor shows before logging in');

  step('a wrong password is refused');
  await byId('password').fill('not-the-password');
  await byId('login-button').click();
  await until('the login error', async () => (await byId('login-error').textContent()).includes('wrong password') && true, 30_000);
  check(await byId('floor').isHidden(), 'the floor shows after a wrong password');

  step('logging in');
  await byId('password').fill(PASSWORD);
  await byId('login-button').click();
  await byId('floor').waitFor({ state: 'visible', timeout: 30_000 });
  await page.evaluate(() => { window.pavTestMarker = 'still the same page'; });

  const card = byId('station-station-1');
  const state = () => card.getByTestId('state').textContent();
  step('waiting for station-1 online and idle');
  await until('station-1 online and idle', async () =>
    (await card.getByTestId('online').textContent()) === 'online' && (await state()) === 'idle', 60_000);

  step('launching hockey on station-1 for 1 minute');
  await until('hockey among the titles', async () =>
    (await byId('launch-title').locator('option').allTextContents()).includes('hockey'), 30_000);
  await byId('launch-title').selectOption('hockey');
  await byId('check-station-1').check();
  await byId('launch-minutes').fill('1');
  await byId('launch-difficulty').selectOption('easy');
  // The visitors' language for this session and a short lobby before its 3 s start.
  await byId('launch-lang').selectOption('en');
  await byId('launch-lobby').fill('2');
  // A budget the form refuses, then one it sends (issue 19: the operator sets the link's budget).
  await byId('launch-budget').fill('8');
  await byId('launch').click();
  const refused = await until('the budget refused', async () => {
    const text = await byId('launch-result').textContent();
    return text && text.includes('budget') ? text : null;
  }, 10_000);
  check(refused.startsWith('The budget is 16 to 1000000 kbps'), `a budget of 8 kbps: ${refused}`);
  await byId('launch-budget').fill('500');
  await byId('launch').click();
  const result = await until('the launch result', async () => {
    const text = await byId('launch-result').textContent();
    return text && text !== 'Launching…' ? text : null;
  }, 20_000);
  check(result.startsWith('Launched'), `the launch was refused: ${result}`);
  step(result);
  const session = result.match(/^Launched (s[0-9]+) /)?.[1];
  check(session, `no session id in "${result}"`);
  const sessionDetail = await until('the session row', async () => {
    const text = await byId('sessions').locator('[data-field="detail"]').first().textContent().catch(() => null);
    return text && text.includes('kbps') ? text : null;
  }, 20_000);
  check(sessionDetail.includes('budget 500 kbps'), `the session row shows no budget: ${sessionDetail}`);

  step('waiting for station-1 to play');
  await until('station-1 playing', async () => (await state()) === 'playing', 60_000);
  // The session server's link figures, read from its log by the director (issue 19).
  let link = '';
  await until('the server\'s link figures, snapshots sent against the budget', async () => {
    link = await byId(`link-${session}`).textContent();
    return /^station-1: [1-9][0-9]* of 500 kbps, [1-9][0-9]* Hz/.test(link);
  }, 20_000).catch(() => check(false, `the session's link figures: "${link}"`));
  step(`link: ${link}`);
  const clock = await until('the countdown', async () => {
    const text = await card.getByTestId('remaining').textContent();
    return /^[0-9]+:[0-5][0-9]$/.test(text) ? text : null;
  }, 30_000);
  const seconds = (t) => Number(t.split(':')[0]) * 60 + Number(t.split(':')[1]);
  check(seconds(clock) <= 60 && seconds(clock) > 0, `a 1-minute session shows ${clock}`);
  await until('the countdown to move', async () => seconds(await card.getByTestId('remaining').textContent()) < seconds(clock), 15_000);
  check(await card.getByTestId('title').textContent() === 'hockey', 'the card names the title');

  step('stopping station-1');
  await byId('stop-station-1').click();
  await until('station-1 idle again', async () => (await state()) === 'idle', 60_000);
  check(await page.evaluate(() => window.pavTestMarker) === 'still the same page', 'the page was reloaded');
  check(await byId('stop-station-1').isHidden(), 'an idle card offers Stop');
  step('station-1 is idle again');

  step('muting station-1, then its volume to 40 and unmuted (issue 16)');
  const volumeText = () => card.locator('[data-field="volume"]').textContent();
  check(await volumeText() === '100 %', `a new station's volume reads ${await volumeText()}`);
  await byId('mute-station-1').click();
  await until('the card to say muted', async () => (await volumeText()) === 'muted', 15_000);
  check(await byId('mute-station-1').textContent() === 'Unmute', 'a muted card offers Mute, not Unmute');
  await byId('volume-station-1').fill('40');
  await byId('mute-station-1').click();
  await until('the card to say 40 %', async () => (await volumeText()) === '40 %', 15_000);
  step('station-1 is at 40 %, unmuted');

  step(`waiting for ${session} under Recent sessions`);
  const recent = byId(`recent-${session}`);
  await recent.waitFor({ state: 'visible', timeout: 30_000 });
  check(await byId('no-recent').isHidden(), '"No session has ended yet" shows beside a recent session');
  const detail = await recent.textContent();
  check(detail.includes('hockey') && detail.includes('station-1') && detail.includes('stopped by the operator'),
    `the recent session says what it was and how it ended: ${detail}`);
  const keepResult = recent.getByTestId(`keep-result-${session}`);

  step('a bad name is refused by the director, and the page says why');
  await recent.getByTestId(`keep-name-${session}`).fill('../escape');
  await recent.getByTestId(`keep-${session}`).click();
  const refusal = await until('the refusal', async () => {
    const text = await keepResult.textContent();
    return text && text !== 'Keeping…' ? text : null;
  }, 30_000);
  check(refusal.includes("bad name '../escape'"), `a bad name: ${refusal}`);
  check(!fs.existsSync(path.join(stateDir, 'escape.replay')), 'a bad name wrote a file');

  step('keeping the replay as great-match (Enter in the name field)');
  await recent.getByTestId(`keep-name-${session}`).fill('great-match');
  await recent.getByTestId(`keep-name-${session}`).press('Enter');
  const keptFile = path.join(stateDir, 'kept', 'great-match.replay');
  const kept = await until('the kept path', async () => {
    const text = await keepResult.textContent();
    return text && text.includes(keptFile) ? text : null;
  }, 30_000);
  step(kept);
  check(fs.statSync(keptFile).size > 0, `${keptFile} is empty`);
  check(fs.statSync(keptFile).size === fs.statSync(path.join(stateDir, 'sessions', `${session}.replay`)).size,
    'the kept replay differs from the recorded one');
  // Live, through the event stream: the row says where it is kept and offers Keep no more.
  await until('the row to say it is kept', async () =>
    (await recent.getByTestId(`kept-${session}`).textContent()).includes(`Kept as great-match: ${keptFile}`), 30_000);
  await until('the Keep button to go', async () => recent.getByTestId(`keep-${session}`).isHidden(), 30_000);
  check(await page.evaluate(() => window.pavTestMarker) === 'still the same page', 'the page was reloaded');
}

// ---- Main ----------------------------------------------------------------------------------

runTest('web.dashboard', DEADLINE_MS, run);
