// Keyway as a bench target (node built-ins only: it runs before bench's own npm install): build check, start from dist/ on a fresh embedded database, seed
// through the REST API (account, project, OpenAI integration pointed at the mock upstream,
// project API key), stop. Used by ../keyway.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// What `npm run build` (tsconfig.build.json) compiles: src/ less specs, contracts and test support.
const BUILD_EXCLUDED = /\.spec\.ts$|\.contract\.ts$|-test-support\.ts$/;
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(dir, filter = () => true) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (!filter(file)) continue;
    newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

// dist/ is stale when a compiled source or the build configuration is newer than every file
// tsc wrote (an incremental build rewrites only what changed, and always its .tsbuildinfo).
export function buildState(root) {
  const main = path.join(root, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) return { stale: true, why: 'dist/src/main.js is missing' };
  const built = Math.max(newestMtime(path.join(root, 'dist', 'src')), ...['.tsbuildinfo.build'].map((f) => {
    const p = path.join(root, 'dist', f);
    return fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0;
  }));
  const sources = Math.max(
    newestMtime(path.join(root, 'src'), (f) => !BUILD_EXCLUDED.test(f)),
    ...BUILD_CONFIGS.map((f) => (fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0)),
  );
  return sources > built ? { stale: true, why: 'sources are newer than dist/' } : { stale: false };
}

export function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (${r.signal ?? `exit ${r.status}`})`);
}

export async function freePort(host = '127.0.0.1') {
  const server = net.createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

// Only what the bench sets: a stray DATABASE_URL, REDIS_URL, KMS or platform credential from the
// caller's shell would change what is measured (Postgres instead of embedded, a platform fallback).
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(KEYWAY_|DATABASE_URL$|REDIS_URL$|JWT_|PORT$|HOST$|LOG_LEVEL$|NODE_OPTIONS$|AWS_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Starts `node [nodeArgs] dist/src/main.js` (pinned with taskset when cpu is a number) on a
 * port of its choosing; resolves once it printed its URL and /health/ready answers 200.
 */
export async function startKeyway({ root, dataDir, logFile, logLevel, cpu, port = 0, nodeArgs = [], env = {}, timeoutMs = 60_000 }) {
  const argv = [...nodeArgs, path.join(root, 'dist', 'src', 'main.js')];
  const [cmd, args] = cpu === null ? [process.execPath, argv] : ['taskset', ['-c', String(cpu), process.execPath, ...argv]];
  const log = fs.openSync(logFile, 'w');
  const child = spawn(cmd, args, {
    cwd: root,
    stdio: ['ignore', log, log],
    env: cleanEnv({
      HOST: '127.0.0.1',
      PORT: String(port),
      KEYWAY_DATA_DIR: dataDir,
      LOG_LEVEL: logLevel,
      KEYWAY_ALLOW_PRIVATE_HOSTS: 'true',
      NODE_ENV: 'production',
      ...env,
    }),
  });
  fs.closeSync(log);
  child.benchName = 'keyway';
  try {
    return await untilReady(child, logFile, timeoutMs);
  } catch (error) {
    await stopKeyway(child);
    throw error;
  }
}

async function untilReady(child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let base;
  while (!base) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`keyway exited (${child.signalCode ?? `code ${child.exitCode}`}) before listening; see ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`keyway did not print its URL within ${timeoutMs} ms; see ${logFile}`);
    base = /keyway listening on (http:\/\/[\d.]+:\d+)/.exec(fs.readFileSync(logFile, 'utf8'))?.[1];
    if (!base) await sleep(100);
  }
  child.baseUrl = base;
  for (;;) {
    try {
      const res = await fetch(`${base}/health/ready`);
      await res.arrayBuffer();
      if (res.status === 200) return child;
    } catch { /* not yet */ }
    if (child.exitCode !== null) throw new Error(`keyway exited with code ${child.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`keyway was not ready within ${timeoutMs} ms; see ${logFile}`);
    await sleep(200);
  }
}

function tail(file, lines = 20) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

async function api(base, method, route, { token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Signup → project → OpenAI integration whose custom host is the mock upstream → project API
 * key. Returns the key (kw-…) and the models the key can use (GET /v1/models).
 */
export async function seedKeyway(base, { upstreamBaseUrl, upstreamKey }) {
  const signup = await api(base, 'POST', '/api/auth/signup', {
    body: { email: 'bench@example.com', password: 'bench-password-not-secret', name: 'Bench', organizationName: 'Bench' },
  });
  const token = signup.accessToken;
  const orgId = signup.organization.id;
  const project = await api(base, 'POST', `/api/organizations/${orgId}/projects`, { token, body: { name: 'bench' } });
  const integration = await api(base, 'POST', `/api/organizations/${orgId}/integrations`, {
    token,
    body: { name: 'OpenAI (mock upstream)', providerSlug: 'openai-bench', provider: 'openai', credential: { apiKey: upstreamKey }, customHost: upstreamBaseUrl },
  });
  const created = await api(base, 'POST', `/api/projects/${project.id}/api-keys`, { token, body: { name: 'bench' } });
  const models = await api(base, 'GET', '/v1/models', { token: created.key });
  return { key: created.key, integration, models: models.data.map((m) => m.id) };
}

export async function stopKeyway(child, timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)])) return;
  process.kill(child.pid, 'SIGKILL');
  await exited;
}
