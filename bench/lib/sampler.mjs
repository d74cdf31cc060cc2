// Samples one process's resident memory (VmRSS in /proc/<pid>/status) and CPU time (utime +
// stime in /proc/<pid>/stat) at a fixed interval, so the report can show memory over a run and
// the CPU a gateway spends per request. Linux only; elsewhere every read returns null.
import fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ

export function readProc(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { at: performance.now(), rssMb: rssKb / 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S };
  } catch {
    return null;
  }
}

export class ProcessSampler {
  constructor(pid, intervalMs = 250) {
    this.pid = pid;
    this.intervalMs = intervalMs;
    this.samples = [];
    this.timer = null;
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
  }

  sample() {
    const s = readProc(this.pid);
    if (s) this.samples.push(s);
    return s;
  }

  // Runs fn and summarises the samples taken meanwhile: RSS min/max/first/last (MiB) and the CPU
  // the process used, in percent of one core and, given a request count, in ms per request.
  async during(fn, countOf = () => 0) {
    const from = this.samples.length;
    const before = this.sample();
    const result = await fn();
    const after = this.sample();
    return { result, proc: summarize(this.samples.slice(from), before, after, countOf(result)) };
  }
}

export function summarize(samples, before, after, requests = 0) {
  if (!before || !after || samples.length === 0) return null;
  const rss = samples.map((s) => s.rssMb);
  const seconds = (after.at - before.at) / 1000;
  const cpuS = after.cpuS - before.cpuS;
  return {
    rssMb: { first: rss[0], min: Math.min(...rss), max: Math.max(...rss), last: rss.at(-1) },
    cpuPct: seconds > 0 ? (100 * cpuS) / seconds : null,
    cpuMsPerRequest: requests > 0 ? (1000 * cpuS) / requests : null,
    seconds,
  };
}
