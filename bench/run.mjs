#!/usr/bin/env node
// Measures the latency a gateway adds on top of its upstream provider. See README.md.
// (Grown from the shared bench harness; `node keyway.mjs` runs it against Keyway.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { cpuSnapshot, otherCpu } from './lib/cpu.mjs';
import { autocannonLoad, pacedLoad } from './lib/load.mjs';
import { hasTaskset, pinSelf, portInUse, startNode, stop, waitForPort } from './lib/procs.mjs';
import { markdown } from './lib/report.mjs';
import { ProcessSampler } from './lib/sampler.mjs';
import { streamProbe } from './lib/stream.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HELP = `Usage: node run.mjs [options]

Starts the mock upstream (and the built-in gateways it measures), sends each target the same
OpenAI chat completion load, and prints markdown tables; JSON goes to <out>/<timestamp>/.

Targets
  --targets LIST            built-in targets to run, default direct,raw-proxy,portkey
                            (direct is the baseline every overhead is measured against)
  --target NAME=URL         an extra target that is already running, e.g.
                            --target keyway=http://127.0.0.1:3000/v1 (…/v1 gets /chat/completions)
  --header 'Name: value'    a header for the --target just before it (repeatable)
                            Point that gateway at the mock upstream: http://127.0.0.1:<upstream-port>/v1
  --pid PID                 the process of the --target just before it: its RSS and CPU time are
                            sampled (built-in gateways are sampled anyway), and its CPU is not
                            counted as "other processes"

Load
  --rates LIST              fixed rates in req/s, default 500,1000,2000 ("" for none)
  --generator NAME          fixed-rate driver: paced (default, open loop, evenly spaced),
                            autocannon (its overallRate: per-second bursts), or both
  --duration S              seconds per phase, default 15
  --warmup S                seconds of unmeasured load per target first (lowest rate), default 3
  --connections N           connections per target, default 50
  --no-max                  skip the maximum-throughput phase (autocannon, closed loop)
  --no-stream               skip the streaming phase
  --stream-requests N       streams per target, default 200
  --stream-concurrency N    streams at a time, default 10
  --chunks N                chunks per stream, default 20
  --chunk-delay-ms MS       delay between chunks, default 5
  --upstream-latency-ms MS  fixed latency of the mock upstream, default 0
  --soak N                  after the other phases, N more requests at --soak-rate (paced) with the
                            gateway's RSS sampled throughout (DESIGN §9: flat across 200,000), default 0 (off)
  --soak-rate R             req/s of the soak phase, default 1000
  --soak-targets LIST       targets that get the soak phase, default: every --target given a --pid

Machine
  --no-pin                  do not pin with taskset (default: load generator and mock
                            upstream on CPU 0, the built-in gateways on CPU 1)
  --upstream-port N         default 18100
  --raw-proxy-port N        default 18101
  --portkey-port N          default 18787
  --out DIR                 default results (a <timestamp> folder is made inside)
  --out-dir DIR             write into exactly this folder instead
  --note TEXT               a line for the report's header (repeatable)
`;

const die = (message) => { console.error(`run.mjs: ${message}\n(see node run.mjs --help)`); process.exit(2); };
let parsed;
try {
  parsed = parseArgs({
  tokens: true,
  options: {
    targets: { type: 'string', default: 'direct,raw-proxy,portkey' },
    target: { type: 'string', multiple: true, default: [] },
    header: { type: 'string', multiple: true, default: [] },
    pid: { type: 'string', multiple: true, default: [] },
    rates: { type: 'string', default: '500,1000,2000' },
    generator: { type: 'string', default: 'paced' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'no-max': { type: 'boolean', default: false },
    'no-stream': { type: 'boolean', default: false },
    'stream-requests': { type: 'string', default: '200' },
    'stream-concurrency': { type: 'string', default: '10' },
    chunks: { type: 'string', default: '20' },
    'chunk-delay-ms': { type: 'string', default: '5' },
    'upstream-latency-ms': { type: 'string', default: '0' },
    soak: { type: 'string', default: '0' },
    'soak-rate': { type: 'string', default: '1000' },
    'soak-targets': { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    'upstream-port': { type: 'string', default: '18100' },
    'raw-proxy-port': { type: 'string', default: '18101' },
    'portkey-port': { type: 'string', default: '18787' },
    out: { type: 'string', default: 'results' },
    'out-dir': { type: 'string' },
    note: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', short: 'h', default: false },
  },
  });
} catch (err) { die(err.message); }
const { values: opt, tokens } = parsed;
if (opt.help) { process.stdout.write(HELP); process.exit(0); }

const num = (name) => {
  const v = Number(opt[name]);
  if (!Number.isFinite(v) || v < 0) die(`--${name} must be a non-negative number, got "${opt[name]}"`);
  return v;
};
const GENERATORS = { paced: pacedLoad, autocannon: autocannonLoad };
const generators = opt.generator === 'both' ? ['paced', 'autocannon'] : [opt.generator];
if (!generators.every((g) => GENERATORS[g])) die(`--generator must be paced, autocannon or both, got "${opt.generator}"`);
const o = {
  duration: num('duration'), warmup: num('warmup'), connections: num('connections'),
  rates: opt.rates.split(',').filter(Boolean).map(Number),
  generator: opt.generator, max: !opt['no-max'], stream: !opt['no-stream'],
  streamRequests: num('stream-requests'), streamConcurrency: num('stream-concurrency'),
  chunks: num('chunks'), chunkDelayMs: num('chunk-delay-ms'), upstreamLatencyMs: num('upstream-latency-ms'),
  soak: num('soak'), soakRate: num('soak-rate'),
};
if (o.soak && !(o.soakRate > 0)) die(`--soak-rate must be positive, got "${opt['soak-rate']}"`);
if (o.rates.some((r) => !(r > 0))) die(`--rates must be positive numbers, got "${opt.rates}"`);

const HOST = '127.0.0.1';
const ports = { upstream: num('upstream-port'), 'raw-proxy': num('raw-proxy-port'), portkey: num('portkey-port') };
const UPSTREAM = `http://${HOST}:${ports.upstream}`;
const JSON_TYPE = { 'content-type': 'application/json' };

// Each built-in sends its own credential, so /__stats on the mock shows which one arrived.
const BUILT_IN = {
  direct: { url: `${UPSTREAM}/v1/chat/completions`, headers: { ...JSON_TYPE, authorization: 'Bearer sk-bench-direct' } },
  'raw-proxy': {
    url: `http://${HOST}:${ports['raw-proxy']}/v1/chat/completions`,
    headers: { ...JSON_TYPE, authorization: 'Bearer kw-bench-client' },
    script: 'raw-proxy.mjs',
    args: ['--port', String(ports['raw-proxy']), '--upstream', UPSTREAM, '--upstream-key', 'sk-bench-raw-proxy'],
  },
  portkey: {
    url: `http://${HOST}:${ports.portkey}/v1/chat/completions`,
    // Portkey forwards the client's bearer token as the provider key.
    headers: { ...JSON_TYPE, authorization: 'Bearer sk-bench-portkey', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${UPSTREAM}/v1` },
    script: 'portkey.mjs',
    args: ['--port', String(ports.portkey)],
  },
};

function chatUrl(raw) {
  const url = new URL(raw);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/chat/completions';
  else if (/\/v1\/?$/.test(url.pathname)) url.pathname = url.pathname.replace(/\/?$/, '/chat/completions');
  return url.toString();
}

// --target and --header in command-line order: each --header belongs to the --target before it.
function externalTargets() {
  const list = [];
  for (const t of tokens.filter((x) => x.kind === 'option')) {
    if (t.name === 'target') {
      const eq = t.value.indexOf('=');
      const [name, url] = eq > 0 ? [t.value.slice(0, eq), t.value.slice(eq + 1)] : [new URL(t.value).host, t.value];
      list.push({ name, url: chatUrl(url), headers: { ...JSON_TYPE } });
    } else if (t.name === 'pid') {
      if (!list.length) die(`--pid ${t.value} comes before any --target`);
      const pid = Number(t.value);
      if (!Number.isInteger(pid) || pid <= 0) die(`--pid must be a process id, got "${t.value}"`);
      list.at(-1).pid = pid;
    } else if (t.name === 'header') {
      if (!list.length) die(`--header "${t.value}" comes before any --target`);
      const colon = t.value.indexOf(':');
      if (colon < 1) die(`--header must look like 'Name: value', got "${t.value}"`);
      list.at(-1).headers[t.value.slice(0, colon).trim().toLowerCase()] = t.value.slice(colon + 1).trim();
    }
  }
  return list;
}

const builtIns = opt.targets.split(',').filter(Boolean);
for (const name of builtIns) if (!BUILT_IN[name]) die(`unknown built-in target "${name}" (direct, raw-proxy, portkey)`);
const targets = [...builtIns.map((name) => ({ name, builtIn: true, ...BUILT_IN[name] })), ...externalTargets()];
const names = targets.map((t) => t.name);
if (new Set(names).size !== names.length) die(`target names must be unique: ${names.join(', ')}`);
const soakTargets = opt['soak-targets'] !== undefined
  ? opt['soak-targets'].split(',').filter(Boolean)
  : targets.filter((t) => !t.builtIn && t.pid).map((t) => t.name);
for (const name of soakTargets) if (!names.includes(name)) die(`--soak-targets names "${name}", which is not a target (${names.join(', ')})`);

const CHAT_BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Write one short sentence about latency.' },
  ],
  max_tokens: 64,
});
const STREAM_BODY = JSON.stringify({ ...JSON.parse(CHAT_BODY), stream: true, stream_options: { include_usage: true } });

const log = (...args) => console.error(...args);
const fmt = (r) => `${Math.round(r.rps)} req/s  p50 ${r.p50?.toFixed(2)}  p90 ${r.p90?.toFixed(2)}  p99 ${r.p99?.toFixed(2)} ms  errors ${r.errors}${r.unfinished ? `  unfinished ${r.unfinished}` : ''}  non-2xx ${JSON.stringify(r.non2xx)}`;
const mask = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, /^(proxy-)?authorization$|api-key|token|secret/i.test(k) ? `${v.slice(0, 10)}…` : v]));

async function upstreamStats() {
  const res = await request(`${UPSTREAM}/__stats`);
  return res.body.json();
}

async function preflight(target) {
  const res = await request(target.url, { method: 'POST', headers: target.headers, body: CHAT_BODY });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`preflight got HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  let reply;
  try { reply = JSON.parse(text); } catch { throw new Error(`preflight got a body that is not JSON: ${text.slice(0, 300)}`); }
  if (!Array.isArray(reply.choices)) throw new Error(`preflight reply has no choices: ${text.slice(0, 300)}`);
}

// Runs one phase and notes how much CPU processes outside the bench took meanwhile, and, when the
// target has a process of its own, that process's RSS and CPU (lib/sampler.mjs).
const answeredOf = (r) => r.count ?? r.ok ?? 0;
async function watched(fn, target) {
  const before = cpuSnapshot();
  const { result, proc } = target.sampler ? await target.sampler.during(fn, answeredOf) : { result: await fn(), proc: null };
  const ours = [process.pid, ...children.map((c) => c.pid), ...targets.filter((t) => t.pid).map((t) => t.pid)];
  const cpu = otherCpu(before, cpuSnapshot(), ours);
  return { result, cpu, proc };
}
const cpuNote = (cpu) => (cpu ? `  [other processes ${cpu.otherPct}% of a core, steal ${cpu.stealPct}%]` : '');
const procNote = (proc) => (proc ? `  [${proc.target ?? 'gateway'} RSS ${proc.rssMb.min.toFixed(0)}–${proc.rssMb.max.toFixed(0)} MiB, CPU ${proc.cpuPct?.toFixed(0)}%${proc.cpuMsPerRequest !== null ? `, ${proc.cpuMsPerRequest.toFixed(3)} ms/req` : ''}]` : '');

async function measure(target) {
  const common = { url: target.url, headers: target.headers, body: CHAT_BODY, connections: o.connections };
  const pid = target.pid ?? target.child?.pid;
  if (pid) target.sampler = new ProcessSampler(pid).start();
  try {
    return await measurePhases(target, common);
  } finally {
    target.sampler?.stop();
  }
}

async function measurePhases(target, common) {
  const before = await upstreamStats();
  const turnStart = target.sampler?.sample();
  await preflight(target);
  let answered = 1;
  const load = [];
  if (o.rates.length && o.warmup > 0) {
    log(`[${target.name}] warm-up ${o.warmup} s at ${Math.min(...o.rates)} req/s`);
    answered += (await GENERATORS[generators[0]]({ ...common, duration: o.warmup, rate: Math.min(...o.rates) })).count;
  }
  const afterWarmup = target.sampler?.sample();
  const warmIndex = target.sampler ? target.sampler.samples.length - 1 : 0;
  for (const rate of o.rates) {
    for (const generator of generators) {
      await sleep(500);
      const { result, cpu, proc } = await watched(() => GENERATORS[generator]({ ...common, duration: o.duration, rate }), target);
      log(`[${target.name}] ${rate}/s ${generator}: ${fmt(result)}${cpuNote(cpu)}${procNote(proc)}`);
      load.push({ phase: `${rate}/s`, generator, rate, result, cpu, proc });
      answered += result.count;
    }
  }
  if (o.max) {
    await sleep(500);
    const { result, cpu, proc } = await watched(() => autocannonLoad({ ...common, duration: o.duration }), target);
    log(`[${target.name}] max autocannon: ${fmt(result)}${cpuNote(cpu)}${procNote(proc)}`);
    load.push({ phase: 'max', generator: 'autocannon', result, cpu, proc });
    answered += result.count;
  }
  let stream = null;
  if (o.stream) {
    await sleep(500);
    const { result, cpu, proc } = await watched(() => streamProbe({ url: target.url, headers: target.headers, body: STREAM_BODY, requests: o.streamRequests, concurrency: o.streamConcurrency }), target);
    stream = { ...result, cpu, proc };
    log(`[${target.name}] stream: ttfb p50 ${stream.ttfb.p50?.toFixed(2)} ms, total p50 ${stream.total.p50?.toFixed(2)} ms, reads/stream p50 ${stream.reads.p50}, ok ${stream.ok}, failures ${JSON.stringify(stream.failures)}${cpuNote(cpu)}${procNote(proc)}`);
    answered += stream.ok;
  }
  let soak = null;
  if (o.soak && soakTargets.includes(target.name)) {
    await sleep(500);
    const duration = o.soak / o.soakRate;
    log(`[${target.name}] soak: ${o.soak} requests at ${o.soakRate} req/s (${duration.toFixed(0)} s)`);
    const from = target.sampler?.samples.length ?? 0;
    const { result, cpu, proc } = await watched(() => pacedLoad({ ...common, duration, rate: o.soakRate }), target);
    soak = { requests: o.soak, rate: o.soakRate, result, cpu, proc, rss: rssCurve(target.sampler?.samples.slice(from) ?? []) };
    log(`[${target.name}] soak: ${fmt(result)}${cpuNote(cpu)}${procNote(proc)}${soak.rss ? `  [RSS at 10% ${soak.rss.at10.toFixed(1)} MiB, at end ${soak.rss.atEnd.toFixed(1)} MiB]` : ''}`);
    answered += result.count;
  }
  const turnEnd = target.sampler?.sample();
  const memory = target.sampler && turnStart && turnEnd ? {
    rssMb: {
      start: turnStart.rssMb,
      afterWarmup: afterWarmup?.rssMb ?? turnStart.rssMb,
      // From the end of the warm-up on: the start of a turn can still carry the gateway's start-up peak.
      min: Math.min(...target.sampler.samples.slice(warmIndex).map((s) => s.rssMb)),
      max: Math.max(...target.sampler.samples.slice(warmIndex).map((s) => s.rssMb)),
      end: turnEnd.rssMb,
    },
    cpuS: turnEnd.cpuS - turnStart.cpuS,
    samples: target.sampler.samples.length,
  } : null;
  if (memory) log(`[${target.name}] RSS: at start ${memory.rssMb.start.toFixed(1)} MiB, after warm-up ${memory.rssMb.afterWarmup.toFixed(1)}, then min ${memory.rssMb.min.toFixed(1)}, max ${memory.rssMb.max.toFixed(1)}, end ${memory.rssMb.end.toFixed(1)} (${answered} requests)`);
  const after = await upstreamStats();
  const grown = (now, then, suffix = '') => Object.entries(now)
    .filter(([key, n]) => n > (then[key] ?? 0)).map(([key, n]) => [key + suffix, n - (then[key] ?? 0)]);
  const keys = Object.fromEntries([...grown(after.byKey, before.byKey), ...grown(after.rejectedByKey, before.rejectedByKey, ' (rejected)')]);
  return { load, stream, soak, memory, answered, upstream: { requests: after.total - before.total, keys } };
}

// RSS over the soak, by tenths of its duration (at an even pace, tenths of its requests).
function rssCurve(samples) {
  if (samples.length < 2) return null;
  const t0 = samples[0].at;
  const span = samples.at(-1).at - t0;
  const at = (f) => samples.find((s) => s.at - t0 >= f * span)?.rssMb ?? samples.at(-1).rssMb;
  const deciles = Array.from({ length: 11 }, (_, i) => at(i / 10));
  return { deciles, at10: deciles[1], atEnd: deciles[10], max: Math.max(...samples.map((s) => s.rssMb)), min: Math.min(...samples.map((s) => s.rssMb)) };
}

function versionOf(pkg) {
  try { return JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', pkg, 'package.json'), 'utf8')).version; } catch { return 'not installed'; }
}

const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
const pin = !opt['no-pin'] && os.cpus().length >= 2 && hasTaskset();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = opt['out-dir'] ? path.resolve(opt['out-dir']) : path.resolve(HERE, opt.out, stamp);
const children = [];

async function startServers() {
  const wanted = [['mock-upstream', 'mock-upstream.mjs', ['--port', String(ports.upstream), '--chunks', String(o.chunks), '--chunk-delay-ms', String(o.chunkDelayMs), '--latency-ms', String(o.upstreamLatencyMs)], ports.upstream, 0]];
  for (const t of targets.filter((x) => x.script)) wanted.push([t.name, t.script, t.args, ports[t.name], 1]);
  for (const [name, , , port] of wanted) {
    if (await portInUse(port, HOST)) throw new Error(`port ${port} (${name}) is already in use: stop what listens there or pick another port`);
  }
  for (const [name, script, args, port, cpu] of wanted) {
    const child = startNode(name, path.join(HERE, script), args, { cpu: pin ? cpu : null, logFile: path.join(outDir, `${name}.log`), cwd: HERE });
    children.push(child);
    const target = targets.find((t) => t.name === name && t.builtIn);
    if (target) target.child = child;
    await waitForPort(port, { host: HOST, child });
    log(`started ${name} (pid ${child.pid}${pin ? `, CPU ${cpu}` : ''}) on ${HOST}:${port}`);
  }
}

async function stopServers() {
  for (const child of children.splice(0).reverse()) {
    await stop(child);
    log(`stopped ${child.benchName} (pid ${child.pid})`);
  }
}

let stopping = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (stopping) return; // a second signal must not cut the first stop short
    stopping = true;
    log(`\n${signal}: stopping`);
    stopServers().finally(() => process.exit(code));
  });
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const loadBefore = loadavg();
  fs.mkdirSync(outDir, { recursive: true });
  if (pin) pinSelf(0);
  await startServers();
  const measured = [];
  for (const target of targets) {
    const entry = { name: target.name, url: target.url, headers: mask(target.headers), builtIn: Boolean(target.builtIn), sampled: Boolean(target.pid ?? target.child?.pid) };
    try {
      Object.assign(entry, await measure(target));
    } catch (err) {
      entry.error = err.message;
      log(`[${target.name}] skipped: ${err.message}`);
    }
    measured.push(entry);
  }
  const cpus = os.cpus();
  const results = {
    meta: {
      date: new Date().toISOString(),
      command: ['node', 'run.mjs', ...process.argv.slice(2)].map(quote).join(' ').replace(/(Bearer )[^\s']{6}[^\s']*/gi, '$1…'),
      notes: opt.note,
      machine: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      node: process.version,
      loadavg: { before: loadBefore, after: loadavg() },
      pinning: pin
        ? 'taskset: load generator + mock upstream on CPU 0, built-in gateway under test on CPU 1 (external targets run where they were started)'
        : 'No CPU pinning: load generator, mock upstream and gateway share every core',
      versions: { '@portkey-ai/gateway': versionOf('@portkey-ai/gateway'), autocannon: versionOf('autocannon'), undici: versionOf('undici') },
      options: o,
    },
    targets: measured,
  };
  const md = markdown(results);
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'results.md'), md);
  process.stdout.write(md);
  log(`\nwrote ${path.relative(process.cwd(), outDir)}/results.json and results.md`);
}

try {
  await main();
} finally {
  await stopServers();
}
