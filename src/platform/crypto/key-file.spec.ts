import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from './key-file';
import { parseKeyring } from './local-keyring.adapter';

const posixOnly = process.platform === 'win32' ? it.skip : it;

describe('loadOrCreateKeyFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyway-key-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  posixOnly('creates a one-key keyring readable only by its owner', () => {
    const path = join(dir, 'nested', 'data', 'master.key');

    const file = loadOrCreateKeyFile(path);

    expect(file.created).toBe(true);
    expect(file.insecureMode).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parseKeyring(file.spec).activeVersion).toBe('v1');
    expect(readFileSync(path, 'utf8')).toBe(`${file.spec}\n`);
  });

  it('reads the same keyring back on the next start', () => {
    const path = join(dir, 'master.key');
    const first = loadOrCreateKeyFile(path);

    const second = loadOrCreateKeyFile(path);

    expect(second).toEqual({ spec: first.spec, created: false, insecureMode: false });
  });

  posixOnly('flags a key file that group or others can read', () => {
    const path = join(dir, 'master.key');
    loadOrCreateKeyFile(path);
    chmodSync(path, 0o644);

    expect(loadOrCreateKeyFile(path).insecureMode).toBe(true);
  });

  it('reads a keyring the operator wrote, trimmed', () => {
    const path = join(dir, 'master.key');
    const spec = `v1:${Buffer.alloc(32, 1).toString('base64')},v2:${Buffer.alloc(32, 2).toString('base64')}`;
    writeFileSync(path, `\n${spec}\n`, { mode: 0o600 });

    expect(loadOrCreateKeyFile(path)).toEqual({ spec, created: false, insecureMode: false });
  });

  it('refuses an empty key file rather than replacing it', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, '', { mode: 0o600 });

    expect(() => loadOrCreateKeyFile(path)).toThrow(`the key file ${path} is empty`);
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
