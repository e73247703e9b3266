// The floor's browser tests' common harness (dashboard, day and desk tests): their children
// (pavilion processes in process groups of their own, killed whatever happens, session servers
// found by this run's marker in their environment), the director's "listening" line, and the
// small waits and checks the tests share.
//   import { start, stopChildren, children, setMarker, listening, sleep, check, until } from './floor_harness.mjs';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const PAVILION = process.argv[2];

// ---- Children ------------------------------------------------------------------------------

const children = [];

// Starts a child in its own process group (so whatever it starts dies with it), keeping the
// tail of its output for the failure report.
function start(name, args, env) {
  const child = spawn(PAVILION, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.label = name;
  child.output = [];
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('exit', (code, signal) => { child.ended = { code, signal }; });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      child.output.push(line);
      if (child.output.length > 300) child.output.shift();
      child.emit('line', line);
    });
  }
  children.push(child);
  return child;
}

function killGroup(child, signal) {
  if (child.ended || !child.pid) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

// The director starts each session server in a session of its own (running sessions outlive
// a director restart), out of reach of the group kill: every process started here carries
// PAV_WEB_TEST=<this run's folder> in its environment, and those are found through /proc.
let marker = null;
function markedProcesses() {
  if (!marker) return [];
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry));
    } catch { /* gone, or not ours */ }
  }
  return found;
}

async function stopChildren() {
  for (const child of children) killGroup(child, 'SIGTERM');
  for (const pid of markedProcesses()) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  await Promise.race([Promise.all(children.map((c) => c.exited)), sleep(3000)]);
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const pid of markedProcesses()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}
// Last resort (an exception escaping everything, a signal): no child outlives the test.
process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const pid of markedProcesses()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(1));

// Waits for a stdout line that is the director's {"event":"listening",...} JSON.
function listening(director, within) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the director did not say it was listening within ${within / 1000} s`)), within);
    director.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const message = JSON.parse(line);
        if (message.event === 'listening') {
          clearTimeout(timer);
          resolve(message);
        }
      } catch { /* not ours */ }
    });
    director.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the director ended (${signal || 'exit ' + code}) before listening`));
    });
  });
}

// ---- Helpers -------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Polls `probe` until it returns a truthy value; fails with `what` and the last value seen.
async function until(what, probe, within = 30_000) {
  const end = Date.now() + within;
  let last;
  while (Date.now() < end) {
    try { last = await probe(); } catch (e) { last = `(${e.message.split('\n')[0]})`; }
    if (last) return last;
    await sleep(100);
  }
  throw new Error(`timed out after ${within / 1000} s waiting for ${what} (last seen: ${JSON.stringify(last)})`);
}


// Every process this run starts carries this marker in its environment (PAV_WEB_TEST=<folder>).
function setMarker(value) {
  marker = value;
}

// Runs a test: `run(tmp)` in a fresh folder, ended by `deadlineMs` at the latest; then the
// children are stopped, a failure printed with their last lines, the folder removed, and the
// process exits 0 ("NAME: ok") or 1 ("NAME: FAILED: ...").
function runTest(name, deadlineMs, run) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pav-${name.replace('.', '-')}-`));
  let failed = null;
  let finishing = false;
  const finish = async () => {
    if (finishing) return;
    finishing = true;
    clearTimeout(deadline);
    await stopChildren();
    if (failed) {
      console.error(`${name}: FAILED: ${failed.stack || failed}`);
      for (const child of children) {
        console.error(`---- ${child.label} (${child.ended ? JSON.stringify(child.ended) : 'running'}), last lines:`);
        console.error(child.output.slice(-40).join('\n'));
      }
    } else {
      console.log(`${name}: ok`);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(failed ? 1 : 0);
  };
  const deadline = setTimeout(() => {
    failed = failed || new Error(`the test ran past ${deadlineMs / 1000} s`);
    finish();
  }, deadlineMs);
  run(tmp).catch((e) => { failed = e; }).finally(finish);
}

export { start, stopChildren, children, setMarker, listening, sleep, check, until, runTest };
