#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`, or node --cpu-prof): where the
// non-idle samples were spent, by function (self time), by module (self time, grouped into
// node_modules/<package>, dist/src/<file>, node:internal), and by inclusive time for functions
// of Keyway's own code. Usage: node profile-summary.mjs FILE [--top N] [--match TEXT]
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, match: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node profile-summary.mjs FILE.cpuprofile [--top N] [--match TEXT]');
  process.exit(2);
}
const top = Number(opt.top);
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time per sample: the delta that follows it (the last one gets the average).
const deltas = profile.timeDeltas;
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = deltas[i + 1] ?? (profile.endTime - profile.startTime) / profile.samples.length;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
}

const IDLE = new Set(['(idle)', '(program)']);
const fname = (n) => n.callFrame.functionName || '(anonymous)';
const where = (n) => {
  const url = n.callFrame.url;
  if (!url) return '';
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/dist\/src\//, 'dist/src/');
  return `${short}:${n.callFrame.lineNumber + 1}`;
};
const moduleOf = (n) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  if (!url) return fname(n).startsWith('(') ? fname(n) : '(native/builtin)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `node_modules/${pkg[1]}`;
  const own = /\/dist\/src\/(.*)$/.exec(url);
  if (own) return `keyway: ${own[1]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
};

let total = 0;
let idle = 0;
const byFunction = new Map();
const byModule = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  if (IDLE.has(fname(n))) { idle += us; continue; }
  total += us;
  const key = `${fname(n)}  ${where(n)}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byModule.set(moduleOf(n), (byModule.get(moduleOf(n)) ?? 0) + us);
}

// Inclusive time: every distinct function on a sample's stack gets the sample's time once.
const inclusive = new Map();
for (const [id, us] of selfUs) {
  if (IDLE.has(fname(nodes.get(id)))) continue;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodes.get(cur);
    const key = `${fname(n)}  ${where(n)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const show = (title, map, filter = () => true) => {
  console.log(`\n## ${title}`);
  for (const [k, us] of [...map].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s (percentages are of busy time)`);
show('self time by module', byModule);
show('self time by function', byFunction, (k) => !opt.match || k.includes(opt.match));
show('inclusive time, Keyway code (dist/src)', inclusive, (k) => k.includes('dist/src/') && (!opt.match || k.includes(opt.match)));
show('inclusive time, everything', inclusive, (k) => !opt.match || k.includes(opt.match));
