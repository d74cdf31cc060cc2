#!/usr/bin/env node
// `npm run bench`: measures Keyway against the mock upstream, next to a direct call, a bare Node
// forwarding proxy and the Portkey gateway. Installs bench's own packages if needed, builds
// Keyway if dist/ is missing or stale, starts it from dist/src/main.js on a fresh embedded
// database (pinned to CPU 1 like the harness's built-in gateways), seeds it through the REST
// API, runs the harness (run.mjs) with Keyway as an extra target, and stops everything it
// started, also on Ctrl-C or an error. Node built-ins only until bench's packages are there.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState, freePort, run, seedKeyway, startKeyway, stopKeyway } from './lib/keyway.mjs';
import { hasTaskset } from './lib/procs.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const UPSTREAM_KEY = 'sk-bench-keyway';

const HELP = `Usage: npm run bench -- [options]      (or: node bench/keyway.mjs [options])

Runs the harness (bench/run.mjs) against Keyway and the built-in targets direct, raw-proxy and
portkey; tables on stdout, everything in bench/results/<timestamp>/ (results.json, results.md,
one log per server, keyway.log). The default run takes about 6 minutes.

Keyway options (everything else goes to the harness, listed below)
  --log-level LEVEL   Keyway's LOG_LEVEL, default warn (info logs one line per request)
  --keyway-port N     Keyway's port, default: a free one
  --no-build          use dist/ as it is, even when sources are newer
  --keyway-root DIR   measure the Keyway checkout in DIR (its dist/, built there if stale, and its
                      node_modules) instead of this one: e.g. a \`git archive HEAD\` export while
                      this work tree is mid-edit
  --cpu-prof          profile Keyway with V8's sampling profiler from the end of seeding to
                      the end of the run; writes keyway.cpuprofile to the results folder
                      (summarise with: node bench/profile-summary.mjs <file>)

Ports of the mock upstream, raw proxy and Portkey are free ones unless given.

`;

// --- our own options, taken out of argv; the rest is the harness's ---
const argv = process.argv.slice(2);
function take(name, { flag = false } = {}) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) {
      if (flag) { argv.splice(i, 1); return true; }
      const value = argv[i + 1];
      if (value === undefined) fail(`--${name} needs a value`);
      argv.splice(i, 2);
      return value;
    }
    if (!flag && argv[i].startsWith(`--${name}=`)) {
      const value = argv[i].slice(name.length + 3);
      argv.splice(i, 1);
      return value;
    }
  }
  return flag ? false : undefined;
}
function peek(name) {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : (argv[i + 1] ?? true);
}
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
const log = (...args) => console.error('[bench]', ...args);

if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(HELP);
  await harnessHelp();
  process.exit(0);
}
const logLevel = take('log-level') ?? 'warn';
const keywayPort = Number(take('keyway-port') ?? 0);
const noBuild = take('no-build', { flag: true });
const cpuProf = take('cpu-prof', { flag: true });
const KEYWAY_ROOT = path.resolve(take('keyway-root') ?? ROOT);
if (!fs.existsSync(path.join(KEYWAY_ROOT, 'package.json'))) fail(`--keyway-root ${KEYWAY_ROOT} has no package.json`);
if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) fail(`--log-level must be a pino level, got "${logLevel}"`);
if (!Number.isInteger(keywayPort) || keywayPort < 0) fail('--keyway-port must be a port number');
if (peek('out') !== undefined && peek('out-dir') !== undefined) fail('give --out or --out-dir, not both');

async function harnessHelp() {
  ensureBenchPackages();
  const child = spawn(process.execPath, [path.join(HERE, 'run.mjs'), '--help'], { stdio: 'inherit' });
  await once(child, 'exit');
}

// --- bench's own packages (autocannon, undici, Portkey): bench/package.json and its lockfile ---
function ensureBenchPackages() {
  const installed = path.join(HERE, 'node_modules', '.package-lock.json');
  const lock = path.join(HERE, 'package-lock.json');
  const wanted = ['autocannon', 'undici', '@portkey-ai/gateway'].every((p) => fs.existsSync(path.join(HERE, 'node_modules', p, 'package.json')));
  if (wanted && fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log('installing bench packages: npm ci --prefix bench');
  run('npm', ['ci', '--prefix', 'bench', '--no-audit', '--no-fund'], ROOT);
}

// --- everything we start, stopped in reverse on the way out ---
let keyway = null;
let harness = null;
let tmp = null;
let stopping = false;
let harnessSignalled = false;

async function cleanup() {
  if (harness && harness.exitCode === null && harness.signalCode === null) {
    const exited = once(harness, 'exit');
    if (!harnessSignalled) harness.kill('SIGTERM');
    harnessSignalled = true;
    await exited;
  }
  if (keyway) {
    await stopKeyway(keyway).catch((error) => log(`could not stop keyway (pid ${keyway.pid}): ${error.message}`));
    log(`stopped keyway (pid ${keyway.pid})`);
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    // On Ctrl-C the harness (same process group) got SIGINT too and stops its own servers.
    if (signal === 'SIGINT') harnessSignalled = true;
    cleanup().finally(() => process.exit(code));
  });
}

async function main() {
  ensureBenchPackages();

  const state = buildState(KEYWAY_ROOT);
  if (state.stale && !noBuild) {
    log(`building Keyway (${state.why}): npm run build${KEYWAY_ROOT !== ROOT ? ` in ${KEYWAY_ROOT}` : ''}`);
    run('npm', ['run', 'build', '--silent'], KEYWAY_ROOT);
  } else if (state.stale) {
    log(`warning: ${state.why}, but --no-build: measuring dist/ as it is`);
  }

  // Free ports for whatever the harness starts, unless given: another bench may run at the defaults.
  for (const name of ['upstream-port', 'raw-proxy-port', 'portkey-port']) {
    if (peek(name) === undefined) argv.push(`--${name}`, String(await freePort()));
  }
  const upstreamPort = Number(peek('upstream-port'));
  const pin = !argv.includes('--no-pin') && os.cpus().length >= 2 && hasTaskset();

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = peek('out-dir') !== undefined ? path.resolve(String(peek('out-dir'))) : path.resolve(HERE, String(peek('out') ?? 'results'), stamp);
  if (peek('out') !== undefined) take('out');
  if (peek('out-dir') === undefined) argv.push('--out-dir', outDir);
  fs.mkdirSync(outDir, { recursive: true });

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-bench-'));
  const profileFile = path.join(outDir, 'keyway.cpuprofile');
  log(`starting Keyway from ${path.relative(process.cwd(), path.join(KEYWAY_ROOT, 'dist', 'src', 'main.js'))} (LOG_LEVEL=${logLevel}, embedded database in ${tmp}${pin ? ', CPU 1' : ''})`);
  keyway = await startKeyway({
    root: KEYWAY_ROOT,
    dataDir: path.join(tmp, 'data'),
    logFile: path.join(outDir, 'keyway.log'),
    logLevel,
    cpu: pin ? 1 : null,
    port: keywayPort,
    nodeArgs: cpuProf ? ['--require', path.join(HERE, 'lib', 'cpu-prof.cjs')] : [],
    env: cpuProf ? { BENCH_CPU_PROF: profileFile } : {},
  });
  log(`keyway (pid ${keyway.pid}) ready on ${keyway.baseUrl}`);

  const upstreamBaseUrl = `http://127.0.0.1:${upstreamPort}/v1`;
  const seeded = await seedKeyway(keyway.baseUrl, { upstreamBaseUrl, upstreamKey: UPSTREAM_KEY });
  if (!seeded.models.some((id) => id === 'gpt-4o-mini' || id.endsWith('/gpt-4o-mini'))) {
    throw new Error(`the bench's model gpt-4o-mini is not among the key's models: ${seeded.models.join(', ')}`);
  }
  log(`seeded: integration ${seeded.integration.providerSlug} → ${upstreamBaseUrl}, API key ${seeded.key.slice(0, 7)}…`);
  if (cpuProf) process.kill(keyway.pid, 'SIGWINCH');

  const args = [
    path.join(HERE, 'run.mjs'),
    ...argv,
    '--target', `keyway=${keyway.baseUrl}/v1`,
    '--header', `Authorization: Bearer ${seeded.key}`,
    '--pid', String(keyway.pid),
    '--note', `Keyway: ${describeCheckout(KEYWAY_ROOT)}, Node ${process.version}, LOG_LEVEL=${logLevel}, embedded database (fresh), ${pin ? 'pinned to CPU 1 (taskset)' : 'not pinned'}; one OpenAI integration (custom host = the mock), model gpt-4o-mini${cpuProf ? ', under the CPU profiler (slower)' : ''}`,
  ];
  harness = spawn(process.execPath, args, { stdio: 'inherit' });
  const [code, signal] = await once(harness, 'exit');
  harness = null;
  if (cpuProf) {
    await stopKeyway(keyway);
    if (fs.existsSync(profileFile)) log(`CPU profile: ${path.relative(process.cwd(), profileFile)}`);
  }
  return signal ? 1 : code;
}

// Which code was measured: commit and whether the work tree had changes (read-only git calls).
function describeCheckout(dir) {
  const git = (...a) => spawnSync('git', ['-C', dir, ...a], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return `dist/src/main.js of ${dir} (not a git work tree)`;
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src').stdout.trim() !== '';
  const untracked = git('status', '--porcelain', '--', 'src').stdout.split('\n').some((l) => l.startsWith('??'));
  return `dist/src/main.js built from ${head.stdout.trim()}${dirty || untracked ? ' plus uncommitted changes in src/' : ''}`;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`failed: ${error.message}`);
} finally {
  if (!stopping) {
    await cleanup();
    process.exit(exitCode);
  }
}
