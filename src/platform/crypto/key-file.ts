import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { newKeyringEntry } from './local-keyring.adapter';

export type KeyFile = {
  /** The keyring spec it holds, in `KEYWAY_MASTER_KEYS` format. */
  spec: string;
  /** True when this call generated the file. */
  created: boolean;
  /** True when group or others may access the file (mode not 0600 or stricter). */
  insecureMode: boolean;
};

/**
 * Reads the master keyring from `path`, or generates a one-key keyring there if the file
 * does not exist. The file is created with `wx` and mode 0600 in one step, so it never exists
 * with looser permissions and a concurrent starter never overwrites it.
 */
export function loadOrCreateKeyFile(path: string): KeyFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const created = tryCreate(path);
  const fd = openSync(path, 'r');
  try {
    const spec = readFileSync(fd, 'utf8').trim();
    if (spec === '') throw new Error(`the key file ${path} is empty; restore it from backup or remove it`);
    return { spec, created, insecureMode: isGroupOrWorldAccessible(fstatSync(fd).mode) };
  } finally {
    closeSync(fd);
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
  try {
    writeSync(fd, `${newKeyringEntry('v1')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isAlreadyExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST';
}

function isGroupOrWorldAccessible(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}
