import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CredentialUnreadable } from './crypto.errors';
import { KeyEncryption } from './key-encryption.port';

/**
 * A secret sealed under its own data key; a plain JSON object stored as-is (jsonb). All binary
 * fields are base64. `kekId` names the key-encryption key that wrapped `wrappedKey`.
 */
export type SealedSecret = {
  v: 1;
  alg: 'A256GCM';
  kekId: string;
  wrappedKey: string;
  iv: string;
  tag: string;
  ciphertext: string;
};

/** Where a sealed secret lives; bound as associated data so it opens only in the same place. */
export type SealContext = { organizationId: string; integrationId: string; purpose?: string };

const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export async function sealSecret(
  plaintext: string,
  context: SealContext,
  keys: KeyEncryption,
): Promise<SealedSecret> {
  const aad = associatedData(context);
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const wrapped = await keys.wrap(dataKey);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const encoded = Buffer.from(plaintext, 'utf8');
    const ciphertext = Buffer.concat([cipher.update(encoded), cipher.final()]);
    encoded.fill(0);
    return {
      v: 1,
      alg: 'A256GCM',
      kekId: wrapped.kekId,
      wrappedKey: toBase64(wrapped.ciphertext),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Opens a sealed secret; `CredentialUnreadable` if it was altered or sealed for another context. */
export async function openSecret(
  sealed: SealedSecret,
  context: SealContext,
  keys: KeyEncryption,
): Promise<string> {
  const aad = associatedData(context);
  const parts = decodeParts(sealed);
  const dataKey = await keys.unwrap({ kekId: sealed.kekId, ciphertext: parts.wrappedKey });
  try {
    return decrypt(dataKey, parts, aad);
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wraps the data key under the active KEK without touching the sealed secret. Returns the
 * same object when it is already under the active KEK, so a rewrap run can stop and resume.
 */
export async function rewrapSealed(sealed: SealedSecret, keys: KeyEncryption): Promise<SealedSecret> {
  if (sealed.kekId === keys.activeKekId) return sealed;
  const dataKey = await keys.unwrap({ kekId: sealed.kekId, ciphertext: decodeParts(sealed).wrappedKey });
  try {
    const wrapped = await keys.wrap(dataKey);
    return { ...sealed, kekId: wrapped.kekId, wrappedKey: toBase64(wrapped.ciphertext) };
  } finally {
    dataKey.fill(0);
  }
}

/** Narrows a stored value (e.g. a jsonb column) to a SealedSecret. */
export function isSealedSecret(value: unknown): value is SealedSecret {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.v === 1 &&
    candidate.alg === 'A256GCM' &&
    ['kekId', 'wrappedKey', 'iv', 'tag', 'ciphertext'].every((field) => typeof candidate[field] === 'string')
  );
}

type SealedParts = { wrappedKey: Uint8Array; iv: Buffer; tag: Buffer; ciphertext: Buffer };

function decodeParts(sealed: SealedSecret): SealedParts {
  if (!isSealedSecret(sealed)) throw new CredentialUnreadable();
  const parts = {
    wrappedKey: new Uint8Array(Buffer.from(sealed.wrappedKey, 'base64')),
    iv: Buffer.from(sealed.iv, 'base64'),
    tag: Buffer.from(sealed.tag, 'base64'),
    ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
  };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES || parts.wrappedKey.length === 0) {
    throw new CredentialUnreadable();
  }
  return parts;
}

function decrypt(dataKey: Uint8Array, parts: SealedParts, aad: Buffer): string {
  if (dataKey.length !== DATA_KEY_BYTES) throw new CredentialUnreadable();
  const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(parts.tag);
  const opened = decipher.update(parts.ciphertext);
  try {
    decipher.final();
    return opened.toString('utf8');
  } catch {
    throw new CredentialUnreadable();
  } finally {
    opened.fill(0);
  }
}

/**
 * `keyway:v1:<organizationId>:<integrationId>:<purpose>`, each part percent-encoded so that no
 * two contexts share an encoding (an id containing ':' cannot shift the boundaries).
 */
function associatedData({ organizationId, integrationId, purpose = 'credential' }: SealContext): Buffer {
  if (!organizationId || !integrationId || !purpose) {
    throw new Error('a seal context needs an organization id, an integration id and a purpose');
  }
  const parts = [organizationId, integrationId, purpose].map(encodeURIComponent);
  return Buffer.from(`keyway:v1:${parts.join(':')}`, 'utf8');
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
