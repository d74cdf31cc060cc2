import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The app running in a process of its own (for what one process cannot show, such as the embedded database's folder lock). */
export type AppProcess = { pid: number; baseUrl: string; stop: () => Promise<void> };

const REGISTER = resolve(__dirname, 'register-typescript.cjs');
const MAIN = resolve(__dirname, 'app-process-main.ts');

/**
 * Starts the app from the sources in a child `node` process. Like `startTestApp`, its
 * configuration is `env` alone, not this process's environment.
 */
export function startAppProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess> {
  const { PATH, HOME, TMPDIR } = process.env;
  const child = spawn(process.execPath, ['-r', REGISTER, MAIN], {
    env: { ...definedOnly({ PATH, HOME, TMPDIR }), LOG_LEVEL: 'warn', KEYWAY_ALLOW_PRIVATE_HOSTS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app process did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('message', (message: { ready?: string; failed?: string }) => {
      clearTimeout(timer);
      if (message.ready) resolvePromise({ pid: child.pid!, baseUrl: message.ready, stop: () => stopChild(child) });
      else reject(new Error(`the app process failed to start: ${message.failed}\n${output}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app process exited (${code ?? signal}) before it started:\n${output}`));
    });
  });
}

/** SIGTERM lets the app shut down cleanly (it releases the data folder); SIGKILL if it hangs. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
