// Markdown tables from a results object (see run.mjs for its shape). Overheads are the
// target's figure minus the `direct` target's figure at the same load and percentile.
import { PERCENTILES } from './stats.mjs';

const ms = (v) => (v === null || v === undefined ? '–' : v.toFixed(2));
const delta = (v, base) => (v === null || base === null || base === undefined ? '–' : `${v - base >= 0 ? '+' : ''}${(v - base).toFixed(2)}`);
const int = (v) => Math.round(v).toLocaleString('en-US');
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function failed(r) {
  const codes = Object.entries(r.non2xx ?? {});
  const unfinished = r.unfinished ?? 0;
  const n = r.errors + unfinished + codes.reduce((s, [, c]) => s + c, 0);
  if (!n) return '0';
  const detail = [...codes.map(([code, c]) => `${c}×${code}`), ...(r.errors ? [`${r.errors}×conn`] : []), ...(unfinished ? [`${unfinished}×unfinished`] : [])];
  return `${n} (${detail.join(', ')})`;
}

export function markdown(results) {
  const { meta, targets } = results;
  const ok = targets.filter((t) => !t.error);
  const base = ok.find((t) => t.name === 'direct');
  // A load entry is one phase ("500/s", "max") driven by one generator ("paced", "autocannon").
  const label = (l) => (l.phase === 'max' ? 'max' : `${l.phase} ${l.generator}`);
  const phaseOf = (t, key) => t.load.find((l) => label(l) === key)?.result;
  const out = [];

  out.push(`# Gateway overhead: ${meta.date}`, '');
  out.push(`${meta.machine}. Node ${meta.node}. ${meta.pinning}. Load average (1/5/15 min) before ${meta.loadavg.before}, after ${meta.loadavg.after}.`);
  out.push(`Versions: ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  out.push(`Command: \`${meta.command}\``, '');
  for (const note of meta.notes ?? []) out.push(`- ${note}`);
  if (meta.notes?.length) out.push('');

  const phases = [...new Set(ok.flatMap((t) => t.load.map(label)))].filter((p) => p !== 'max');
  if (phases.length) {
    out.push(`## Non-streaming at a fixed rate (${meta.options.duration} s each; latency in ms; + is over direct)`, '');
    const rows = [];
    for (const phase of phases) {
      for (const t of ok) {
        const r = phaseOf(t, phase);
        if (!r) continue;
        const b = base && phaseOf(base, phase);
        rows.push([t.name, phase, int(r.rps), ...PERCENTILES.map((p) => ms(r[p])),
          ...PERCENTILES.map((p) => (t === base || !b ? '–' : delta(r[p], b[p]))), failed(r)]);
      }
    }
    out.push(table(['target', 'load', 'req/s', 'p50', 'p90', 'p99', '+p50', '+p90', '+p99', 'failed'], rows), '');
  }

  const withMax = ok.filter((t) => phaseOf(t, 'max'));
  if (withMax.length) {
    const raw = ok.find((t) => t.name === 'raw-proxy');
    const rawMax = raw && phaseOf(raw, 'max');
    out.push(`## Maximum throughput (autocannon, ${meta.options.connections} connections, closed loop, ${meta.options.duration} s)`, '');
    out.push(table(['target', 'req/s', 'of raw-proxy', 'p50', 'p99', 'failed'], withMax.map((t) => {
      const r = phaseOf(t, 'max');
      return [t.name, int(r.rps), rawMax ? `${Math.round((100 * r.rps) / rawMax.rps)}%` : '–', ms(r.p50), ms(r.p99), failed(r)];
    })), '');
    out.push('direct is the ceiling of the load generator and mock upstream themselves, not a gateway figure.', '');
  }

  const withStream = ok.filter((t) => t.stream);
  if (withStream.length) {
    const o = meta.options;
    out.push(`## Streaming (${o.chunks} chunks ${o.chunkDelayMs} ms apart; ${o.streamRequests} streams, ${o.streamConcurrency} at a time; ms)`, '');
    const bs = base?.stream;
    out.push(table(['target', 'TTFB p50', 'TTFB p99', '+TTFB p50', 'total p50', 'total p99', '+total p50', 'reads/stream', 'failed'], withStream.map((t) => {
      const s = t.stream;
      const fails = Object.values(s.failures).reduce((a, b) => a + b, 0);
      return [t.name, ms(s.ttfb.p50), ms(s.ttfb.p99), t === base || !bs ? '–' : delta(s.ttfb.p50, bs.ttfb.p50),
        ms(s.total.p50), ms(s.total.p99), t === base || !bs ? '–' : delta(s.total.p50, bs.total.p50),
        s.reads.p50 ?? '–', fails ? `${fails} (${Object.entries(s.failures).map(([k, v]) => `${v}×${k}`).join(', ')})` : '0'];
    })), '');
  }

  const sampled = ok.filter((t) => t.memory);
  if (sampled.length) {
    const loadPhases = [...new Set(sampled.flatMap((t) => t.load.map(label)))];
    const mb = (v) => (v === undefined || v === null ? '–' : v.toFixed(0));
    const perReq = (p) => (p?.cpuMsPerRequest === null || p?.cpuMsPerRequest === undefined ? '–' : p.cpuMsPerRequest.toFixed(3));
    out.push('## Gateway process (RSS from /proc/<pid>/status and CPU time, sampled every 250 ms during its turn)', '');
    out.push(table(['target', 'RSS at start MiB', 'after warm-up', 'min', 'max', 'end', 'end vs warm-up', ...loadPhases.map((p) => (p === 'max' ? 'CPU at max (% of a core)' : `CPU ms/req ${p}`)), 'CPU ms/req stream'], sampled.map((t) => {
      const m = t.memory.rssMb;
      const growth = `${m.end >= m.afterWarmup ? '+' : ''}${((100 * (m.end - m.afterWarmup)) / m.afterWarmup).toFixed(1)}%`;
      return [t.name, mb(m.start), mb(m.afterWarmup), mb(m.min), mb(m.max), mb(m.end), growth,
        ...loadPhases.map((p) => {
          const proc = t.load.find((l) => label(l) === p)?.proc;
          if (p === 'max') return proc?.cpuPct === undefined || proc?.cpuPct === null ? '–' : `${proc.cpuPct.toFixed(0)}% (${perReq(proc)} ms/req)`;
          return perReq(proc);
        }), perReq(t.stream?.proc)];
    })), '');
    out.push('RSS at start: when the target\'s turn began (after start-up and seeding); min and max from the end of the warm-up to the end of the turn.', '');
    out.push(`CPU ms/req: CPU time (user + system) the gateway process used in the phase, divided by the responses it gave. A single-threaded gateway pinned to one core saturates near 1000 / (ms/req) req/s.`, '');
  }

  const soaked = ok.filter((t) => t.soak);
  if (soaked.length) {
    out.push('## Soak (paced; RSS of the gateway process by tenths of the run)', '');
    out.push(table(['target', 'requests', 'req/s', 'p50', 'p99', 'failed', 'RSS at 10% MiB', 'at 50%', 'at end', 'min', 'max', 'end vs 10%'], soaked.map((t) => {
      const { result: r, rss } = t.soak;
      const d = rss?.deciles;
      return [t.name, int(t.soak.requests), int(r.rps), ms(r.p50), ms(r.p99), failed(r),
        d ? d[1].toFixed(1) : '–', d ? d[5].toFixed(1) : '–', d ? d[10].toFixed(1) : '–', rss ? rss.min.toFixed(1) : '–', rss ? rss.max.toFixed(1) : '–',
        d ? `${d[10] >= d[1] ? '+' : ''}${((100 * (d[10] - d[1])) / d[1]).toFixed(1)}%` : '–'];
    })), '');
  }

  // CPU taken by processes outside the bench (and hypervisor steal) in each target's busiest phase.
  const phasesOf = (t) => [...t.load.map((l) => ({ name: label(l), cpu: l.cpu })), ...(t.stream ? [{ name: 'stream', cpu: t.stream.cpu }] : []), ...(t.soak ? [{ name: 'soak', cpu: t.soak.cpu }] : [])].filter((p) => p.cpu);
  const worst = (t) => phasesOf(t).reduce((w, p) => (!w || p.cpu.otherPct + p.cpu.stealPct > w.cpu.otherPct + w.cpu.stealPct ? p : w), null);
  out.push('## What reached the mock upstream, and what else ran', '');
  out.push(table(['target', 'upstream requests', 'client 2xx', 'credential seen upstream', 'other CPU / steal, worst phase'], ok.map((t) => {
    const w = worst(t);
    return [t.name, int(t.upstream.requests), int(t.answered),
      Object.entries(t.upstream.keys).map(([k, n]) => `\`${k}\` ×${int(n)}`).join(', ') || '**none: the target never reached the mock**',
      w ? `${w.cpu.otherPct}% / ${w.cpu.stealPct}% (${w.name})` : '–'];
  })), '');
  out.push('Other CPU: percent of one core used by processes outside the bench (an external target counts here unless it was given a --pid).', '');
  for (const t of ok) {
    const w = worst(t);
    if (w && w.cpu.otherPct + w.cpu.stealPct >= 15 && (t.builtIn || t.sampled)) {
      out.push(`- **Disturbed**: during ${t.name} ${w.name}, other processes took ${w.cpu.otherPct}% of a core and steal was ${w.cpu.stealPct}% (busiest: ${w.cpu.busiest ?? 'n/a'}). Run again on a quiet machine.`);
    }
  }
  for (const t of targets.filter((x) => x.error)) out.push(`- **${t.name} skipped**: ${t.error}`);
  return out.join('\n').trimEnd() + '\n';
}
