import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CredentialUnreadable, UnknownMasterKey } from './crypto.errors';
import { KeyEncryption, WrappedKey } from './key-encryption.port';
import { Secret } from './secret';

export const MASTER_KEYS_VARIABLE = 'KEYWAY_MASTER_KEYS';
export const LOCAL_KEK_PREFIX = 'local:';

const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SPEC_FORMAT = 'expected <version>:<base64 of 32 random bytes>[,<version>:<base64>…], e.g. v1:$(openssl rand -base64 32)';

/** Versioned master keys; `activeVersion` wraps new data keys, the others only unwrap. */
export type Keyring = {
  readonly activeVersion: string;
  readonly keys: ReadonlyMap<string, Secret<Uint8Array>>;
};

/**
 * Parses `KEYWAY_MASTER_KEYS` (`v1:<base64>,v2:<base64>`); the last entry is active. Errors
 * name the variable and the entry but never echo key material.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') {
    throw new Error(`${MASTER_KEYS_VARIABLE} is empty; ${SPEC_FORMAT}`);
  }
  const keys = new Map<string, Secret<Uint8Array>>();
  let activeVersion = '';
  entries.forEach((entry, index) => {
    const [version, key] = parseEntry(entry, index + 1);
    if (keys.has(version)) {
      throw new Error(`${MASTER_KEYS_VARIABLE} lists version ${version} more than once`);
    }
    keys.set(version, new Secret(key));
    activeVersion = version;
  });
  return { activeVersion, keys };
}

/** A fresh keyring entry, `<version>:<base64 of 32 random bytes>`. */
export function newKeyringEntry(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new Error(`invalid master key version id: ${version}`);
  return `${version}:${randomBytes(MASTER_KEY_BYTES).toString('base64')}`;
}

function parseEntry(entry: string, position: number): [string, Uint8Array] {
  const version = parseEntryVersion(entry, position);
  const encoded = entry.slice(entry.indexOf(':') + 1).trim();
  if (encoded === '' || !BASE64_PATTERN.test(encoded)) {
    throw new Error(`${MASTER_KEYS_VARIABLE}: key ${version} is not valid base64; ${SPEC_FORMAT}`);
  }
  const decoded = Buffer.from(encoded, 'base64');
  const length = decoded.length;
  const key = new Uint8Array(decoded);
  decoded.fill(0);
  if (length !== MASTER_KEY_BYTES) {
    key.fill(0);
    throw new Error(
      `${MASTER_KEYS_VARIABLE}: key ${version} is ${length} bytes long, expected ${MASTER_KEY_BYTES}; ${SPEC_FORMAT}`,
    );
  }
  return [version, key];
}

function parseEntryVersion(entry: string, position: number): string {
  const where = `${MASTER_KEYS_VARIABLE}: entry ${position}`;
  if (entry === '') throw new Error(`${where} is empty; ${SPEC_FORMAT}`);
  const separator = entry.indexOf(':');
  if (separator < 0) throw new Error(`${where} has no version; ${SPEC_FORMAT}`);
  const version = entry.slice(0, separator).trim();
  if (!VERSION_PATTERN.test(version)) {
    throw new Error(`${where} has an invalid version id (use letters, digits, '.', '_' or '-'); ${SPEC_FORMAT}`);
  }
  return version;
}

/**
 * Wraps data keys with AES-256-GCM under versioned master keys held in process memory.
 *
 * Wrapped layout: `iv (12 bytes) ‖ tag (16 bytes) ‖ encrypted data key`, with the kekId
 * (`local:<version>`) as associated data so a wrapped key cannot be relabelled to another version.
 */
export class LocalKeyringKeyEncryption implements KeyEncryption {
  readonly activeKekId: string;

  private constructor(private readonly keyring: Keyring) {
    this.activeKekId = kekIdOf(keyring.activeVersion);
  }

  static fromKeyring(keyring: Keyring): LocalKeyringKeyEncryption {
    if (!keyring.keys.has(keyring.activeVersion)) {
      throw new Error(`${MASTER_KEYS_VARIABLE}: the active version ${keyring.activeVersion} has no key`);
    }
    return new LocalKeyringKeyEncryption(keyring);
  }

  async wrap(dataKey: Uint8Array): Promise<WrappedKey> {
    const kekId = this.activeKekId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey(kekId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(kekId, 'utf8'));
    const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { kekId, ciphertext: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), encrypted])) };
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    const masterKey = this.masterKey(wrapped.kekId);
    const blob = Buffer.from(wrapped.ciphertext);
    if (blob.length <= IV_BYTES + TAG_BYTES) throw new CredentialUnreadable();
    const decipher = createDecipheriv('aes-256-gcm', masterKey, blob.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(wrapped.kekId, 'utf8'));
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const opened = decipher.update(blob.subarray(IV_BYTES + TAG_BYTES));
    try {
      decipher.final();
    } catch {
      opened.fill(0);
      throw new CredentialUnreadable();
    }
    return new Uint8Array(opened.buffer, opened.byteOffset, opened.byteLength);
  }

  private masterKey(kekId: string): Uint8Array {
    const key = kekId.startsWith(LOCAL_KEK_PREFIX)
      ? this.keyring.keys.get(kekId.slice(LOCAL_KEK_PREFIX.length))
      : undefined;
    if (!key) throw new UnknownMasterKey(kekId);
    return key.reveal();
  }
}

function kekIdOf(version: string): string {
  return `${LOCAL_KEK_PREFIX}${version}`;
}
