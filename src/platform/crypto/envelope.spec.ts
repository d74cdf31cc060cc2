import { randomBytes } from 'node:crypto';
import { CredentialUnreadable, UnknownMasterKey } from './crypto.errors';
import { isSealedSecret, openSecret, rewrapSealed, SealContext, SealedSecret, sealSecret } from './envelope';
import { KeyEncryption, WrappedKey } from './key-encryption.port';
import { LocalKeyringKeyEncryption, parseKeyring } from './local-keyring.adapter';

const PLAINTEXT = 'sk-ant-api03-very-secret-credential-value-3f9';
const context: SealContext = { organizationId: 'org-a', integrationId: 'int-1' };
const v1 = `v1:${randomBytes(32).toString('base64')}`;
const v2 = `v2:${randomBytes(32).toString('base64')}`;
const keyring = (spec: string): LocalKeyringKeyEncryption => LocalKeyringKeyEncryption.fromKeyring(parseKeyring(spec));

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

function flipByte(base64: string, index = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] ^= 0x80;
  return bytes.toString('base64');
}

describe('sealed secrets', () => {
  it('open to the sealed plaintext', async () => {
    const keys = keyring(v1);

    const sealed = await sealSecret(PLAINTEXT, context, keys);

    expect(await openSecret(sealed, context, keys)).toBe(PLAINTEXT);
  });

  it('are plain JSON without the plaintext', async () => {
    const sealed = await sealSecret(PLAINTEXT, context, keyring(v1));
    const stored = JSON.parse(JSON.stringify(sealed)) as unknown;

    expect(stored).toEqual(sealed);
    expect(isSealedSecret(stored)).toBe(true);
    expect(sealed).toMatchObject({ v: 1, alg: 'A256GCM', kekId: 'local:v1' });
    expect(JSON.stringify(sealed)).not.toContain(PLAINTEXT);
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(PLAINTEXT).toString('base64'));
  });

  it('use a fresh data key and IV each time', async () => {
    const keys = keyring(v1);

    const [a, b] = await Promise.all([sealSecret(PLAINTEXT, context, keys), sealSecret(PLAINTEXT, context, keys)]);

    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('round-trip empty and non-ASCII values', async () => {
    const keys = keyring(v1);
    for (const value of ['', 'clé-🔑-ключ']) {
      expect(await openSecret(await sealSecret(value, context, keys), context, keys)).toBe(value);
    }
  });

  it.each<[string, SealContext]>([
    ['another integration', { organizationId: 'org-a', integrationId: 'int-2' }],
    ['another organization', { organizationId: 'org-b', integrationId: 'int-1' }],
    ['another purpose', { ...context, purpose: 'webhook-secret' }],
    ['ids with shifted boundaries', { organizationId: 'org-a:int-1', integrationId: 'credential' }],
  ])('do not open when copied to %s, and the error shows no plaintext', async (_case, elsewhere) => {
    const keys = keyring(v1);
    const sealed = await sealSecret(PLAINTEXT, context, keys);

    const error = await failure(openSecret(sealed, elsewhere, keys));

    expect(error).toBeInstanceOf(CredentialUnreadable);
    expect(error).toMatchObject({ kind: 'unavailable', type: 'credential-unreadable' });
    expect(`${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`).not.toContain(PLAINTEXT);
    expect(error.message).not.toContain(sealed.ciphertext);
  });

  it.each(['ciphertext', 'tag', 'iv', 'wrappedKey'] as const)('detect a flipped byte in %s', async (field) => {
    const keys = keyring(v1);
    const sealed = await sealSecret(PLAINTEXT, context, keys);
    const tampered: SealedSecret = { ...sealed, [field]: flipByte(sealed[field], 5) };

    await expect(openSecret(tampered, context, keys)).rejects.toThrow(CredentialUnreadable);
  });

  it('detect a truncated tag or IV and a malformed record', async () => {
    const keys = keyring(v1);
    const sealed = await sealSecret(PLAINTEXT, context, keys);
    const shortTag = Buffer.from(sealed.tag, 'base64').subarray(0, 8).toString('base64');

    await expect(openSecret({ ...sealed, tag: shortTag }, context, keys)).rejects.toThrow(CredentialUnreadable);
    await expect(openSecret({ ...sealed, iv: '' }, context, keys)).rejects.toThrow(CredentialUnreadable);
    const malformed = { ...sealed, v: 2 } as unknown as SealedSecret;
    await expect(openSecret(malformed, context, keys)).rejects.toThrow(CredentialUnreadable);
  });

  it('name a master key that is no longer configured', async () => {
    const sealed = await sealSecret(PLAINTEXT, context, keyring(v1));

    const error = await failure(openSecret(sealed, context, keyring(v2)));

    expect(error).toBeInstanceOf(UnknownMasterKey);
    expect(error.message).toBe('master key local:v1 is not configured; add it to KEYWAY_MASTER_KEYS');
  });

  it('zero the data keys they handle', async () => {
    const seen: Uint8Array[] = [];
    const inner = keyring(v1);
    const recording: KeyEncryption = {
      activeKekId: inner.activeKekId,
      wrap: (dataKey) => {
        seen.push(dataKey);
        return inner.wrap(dataKey);
      },
      unwrap: async (wrapped: WrappedKey) => {
        const dataKey = await inner.unwrap(wrapped);
        seen.push(dataKey);
        return dataKey;
      },
    };

    await openSecret(await sealSecret(PLAINTEXT, context, recording), context, recording);

    expect(seen).toHaveLength(2);
    for (const dataKey of seen) expect(dataKey.every((byte) => byte === 0)).toBe(true);
  });
});

describe('rewrapSealed', () => {
  it('moves a secret from master key v1 to v2 so that v1 can be dropped', async () => {
    const sealed = await sealSecret(PLAINTEXT, context, keyring(v1));
    const rotating = keyring(`${v1},${v2}`);

    const rewrapped = await rewrapSealed(sealed, rotating);

    expect(rewrapped.kekId).toBe('local:v2');
    expect(rewrapped).toMatchObject({ iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext });
    expect(await openSecret(rewrapped, context, rotating)).toBe(PLAINTEXT);
    expect(await openSecret(rewrapped, context, keyring(v2))).toBe(PLAINTEXT);
    expect(sealed.kekId).toBe('local:v1');
  });

  it('returns a secret already under the active key untouched', async () => {
    const keys = keyring(`${v1},${v2}`);
    const sealed = await sealSecret(PLAINTEXT, context, keys);

    expect(await rewrapSealed(sealed, keys)).toBe(sealed);
  });

  it('never opens the secret itself', async () => {
    const sealed = await sealSecret(PLAINTEXT, context, keyring(v1));
    const corruptedPayload = { ...sealed, ciphertext: flipByte(sealed.ciphertext) };

    const rewrapped = await rewrapSealed(corruptedPayload, keyring(`${v1},${v2}`));

    expect(rewrapped.kekId).toBe('local:v2');
  });
});
