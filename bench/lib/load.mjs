// Non-streaming load generators. Each returns the same shape:
//   { count, mean, p50, p90, p99, max, rps, requests, errors, non2xx: {status: n} }
// (pacedLoad adds `unfinished`: requests still unanswered when it gave up waiting).
// Latency is recorded per response, in ms with sub-ms precision, for 2xx responses only.
import { setMaxListeners } from 'node:events';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { Samples } from './stats.mjs';

const bumpStatus = (map, status) => { map[status] = (map[status] ?? 0) + 1; };

// autocannon, closed loop: `connections` keep-alive connections, each sends its next request
// as soon as the previous answer is in. With `rate` set, autocannon gives each connection a
// quota per second, so requests go out in bursts at the start of every second (this is how
// autocannon's overallRate works) rather than evenly spaced.
export function autocannonLoad({ url, headers, body, connections, duration, rate }) {
  const samples = new Samples();
  const non2xx = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url, method: 'POST', headers, body, connections, duration, pipelining: 1, timeout: 10,
      // autocannon's coordinated-omission correction assumes an interval of ceil(1/rate) ms
      // (1 ms at any real rate), which floods the histogram with synthetic samples: turn it off.
      ...(rate ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
    }, (err, result) => {
      if (err) return reject(err);
      resolve({
        ...samples.summary(),
        rps: samples.length / result.duration,
        requests: samples.length + result.non2xx + result.errors,
        errors: result.errors + result.timeouts,
        non2xx,
      });
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) samples.push(ms); else bumpStatus(non2xx, status);
    });
  });
}

// Open loop at an even pace: request i is handed to an undici keep-alive pool at t0 + i/rate
// whether or not earlier ones have been answered, so a slow target queues work and the
// queueing shows in its latency (no coordinated omission). Latency runs from the moment the
// request is handed to the pool until the last byte of the body has been read. Whatever is
// still unanswered `graceS` seconds after the last request was due is aborted and counted
// as `unfinished`, so a run against an overloaded target still ends.
export async function pacedLoad({ url, headers, body, connections, duration, rate, graceS = 10 }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const path = target.pathname + target.search;
  const total = Math.max(1, Math.round(rate * duration));
  const interval = 1000 / rate;
  const samples = new Samples(total);
  const non2xx = {};
  let errors = 0;
  let unfinished = 0;
  let sent = 0;
  let done = 0;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one signal for every request in flight: not a leak
  const deadline = setTimeout(() => abort.abort(), (duration + graceS) * 1000);
  const t0 = performance.now();

  await new Promise((resolve) => {
    const fire = () => {
      const start = performance.now();
      pool.request({ path, method: 'POST', headers, body, signal: abort.signal })
        .then(async (res) => {
          for await (const _ of res.body); // eslint-disable-line no-unused-vars
          if (res.statusCode >= 200 && res.statusCode < 300) samples.push(performance.now() - start);
          else bumpStatus(non2xx, res.statusCode);
        }, () => { if (abort.signal.aborted) unfinished++; else errors++; })
        .finally(() => { if (++done === total) resolve(); });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) { sent++; fire(); }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });

  const elapsed = (performance.now() - t0) / 1000;
  clearTimeout(deadline);
  await pool.close();
  return { ...samples.summary(), rps: samples.length / elapsed, requests: total, errors, unfinished, non2xx };
}
