import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { CredentialUnreadable, UnknownMasterKey } from './crypto.errors';
import { LocalKeyringKeyEncryption, newKeyringEntry, parseKeyring } from './local-keyring.adapter';

const key = (): string => randomBytes(32).toString('base64');

function parseError(spec: string): Error {
  try {
    parseKeyring(spec);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parseKeyring to fail');
}

describe('parseKeyring', () => {
  it('makes the last listed key the active one', () => {
    const keyring = parseKeyring(`v1:${key()}, v2:${key()}`);

    expect(keyring.activeVersion).toBe('v2');
    expect([...keyring.keys.keys()]).toEqual(['v1', 'v2']);
    expect(keyring.keys.get('v2')?.reveal()).toHaveLength(32);
  });

  it('accepts entries made by newKeyringEntry', () => {
    expect(parseKeyring(`${newKeyringEntry('v1')},${newKeyringEntry('2024-06')}`).activeVersion).toBe('2024-06');
  });

  it('never shows key material when the keyring is logged', () => {
    const material = key();
    const keyring = parseKeyring(`v1:${material}`);

    expect(inspect(keyring, { depth: 5 })).not.toContain(material);
    expect(JSON.stringify({ ...keyring, keys: Object.fromEntries(keyring.keys) })).not.toContain(material);
  });

  it.each([
    ['empty', '', /KEYWAY_MASTER_KEYS is empty/],
    ['blank', '   ', /KEYWAY_MASTER_KEYS is empty/],
    ['trailing comma', `v1:${key()},`, /KEYWAY_MASTER_KEYS: entry 2 is empty/],
    ['no version', key(), /KEYWAY_MASTER_KEYS: entry 1 has no version/],
    ['bad version', `v 1!:${key()}`, /KEYWAY_MASTER_KEYS: entry 1 has an invalid version id/],
    ['missing key', 'v1:', /KEYWAY_MASTER_KEYS: key v1 is not valid base64/],
    ['bad base64', `v1:${key().slice(0, 40)}*!==`, /KEYWAY_MASTER_KEYS: key v1 is not valid base64/],
    ['wrong length', `v1:${randomBytes(16).toString('base64')}`, /KEYWAY_MASTER_KEYS: key v1 is 16 bytes long, expected 32/],
    ['duplicate id', `v1:${key()},v1:${key()}`, /KEYWAY_MASTER_KEYS lists version v1 more than once/],
  ])('rejects a spec that is %s, naming the variable and not the key', (_case, spec, message) => {
    const error = parseError(spec);

    expect(error.message).toMatch(message);
    for (const material of spec.split(/[,:]/).filter((part) => part.trim().length > 8)) {
      expect(error.message).not.toContain(material.trim());
    }
  });
});

describe('LocalKeyringKeyEncryption', () => {
  const v1 = `v1:${key()}`;
  const v2 = `v2:${key()}`;

  it('wraps under the active version and unwraps the data key', async () => {
    const keys = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(`${v1},${v2}`));
    const dataKey = randomBytes(32);

    const wrapped = await keys.wrap(dataKey);

    expect(keys.activeKekId).toBe('local:v2');
    expect(wrapped.kekId).toBe('local:v2');
    expect(wrapped.ciphertext).toHaveLength(12 + 16 + 32);
    expect(Buffer.from(await keys.unwrap(wrapped))).toEqual(dataKey);
  });

  it('unwraps keys wrapped under an older version that is still listed', async () => {
    const old = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(v1));
    const wrapped = await old.wrap(Buffer.alloc(32, 1));

    const current = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(`${v1},${v2}`));

    expect(Buffer.from(await current.unwrap(wrapped))).toEqual(Buffer.alloc(32, 1));
  });

  it('names a master key that is not configured', async () => {
    const keys = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(v2));

    await expect(keys.unwrap({ kekId: 'local:v1', ciphertext: new Uint8Array(60) })).rejects.toThrow(
      new UnknownMasterKey('local:v1'),
    );
    await expect(keys.unwrap({ kekId: 'local:v1', ciphertext: new Uint8Array(60) })).rejects.toThrow(
      'master key local:v1 is not configured; add it to KEYWAY_MASTER_KEYS',
    );
  });

  it('refuses a wrapped key relabelled to another version', async () => {
    const keys = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(`${v1},${v2}`));
    const wrapped = await keys.wrap(randomBytes(32));

    await expect(keys.unwrap({ ...wrapped, kekId: 'local:v1' })).rejects.toThrow(CredentialUnreadable);
  });

  it('refuses a wrapped key whose master key was replaced under the same version', async () => {
    const wrapped = await LocalKeyringKeyEncryption.fromKeyring(parseKeyring(v1)).wrap(randomBytes(32));
    const replaced = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(`v1:${key()}`));

    await expect(replaced.unwrap(wrapped)).rejects.toThrow(CredentialUnreadable);
  });

  it('refuses a truncated wrapped key', async () => {
    const keys = LocalKeyringKeyEncryption.fromKeyring(parseKeyring(v1));

    await expect(keys.unwrap({ kekId: 'local:v1', ciphertext: new Uint8Array(28) })).rejects.toThrow(
      CredentialUnreadable,
    );
  });
});
