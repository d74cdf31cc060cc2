// Preloaded into Keyway with `node --require` by `keyway.mjs --cpu-prof`: V8's sampling profiler
// starts on SIGWINCH (sent once Keyway is seeded, so start-up is left out; not SIGUSR2, on which
// Nest's enableShutdownHooks() shuts the app down) and the profile is
// written to $BENCH_CPU_PROF when the process is told to stop (SIGTERM/SIGINT), before Nest's
// own shutdown handler runs. Node's --cpu-prof cannot do this: Nest re-raises the signal after
// closing, and a process killed by a signal never writes its --cpu-prof file. Open the
// .cpuprofile in Chrome DevTools (Performance) or summarise it with `node profile-summary.mjs`.
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');

const file = process.env.BENCH_CPU_PROF;
if (file) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROF_INTERVAL_US ?? 200) });
  process.on('SIGWINCH', () => {
    if (running) return;
    running = true;
    session.post('Profiler.start');
  });
  const write = () => {
    if (!running) return;
    running = false;
    // In-process inspector sessions answer synchronously, so the file is written before Nest's handler.
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  };
  // Once written, step aside: Nest re-raises the signal after closing and must find no listener of ours.
  const onSignal = () => {
    write();
    for (const signal of ['SIGTERM', 'SIGINT']) process.removeListener(signal, onSignal);
  };
  for (const signal of ['SIGTERM', 'SIGINT']) process.prependListener(signal, onSignal);
  process.on('exit', write);
}
