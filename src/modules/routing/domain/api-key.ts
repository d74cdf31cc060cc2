import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'kw-';
const LOOKUP_LENGTH = 12;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A gateway key for LLM traffic, scoped to one project. Only a hash of the secret is kept. */
export class ApiKey {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  revokedAt: Date | null = null;

  constructor(
    readonly organizationId: string,
    readonly projectId: string,
    public name: string,
    /** `kw-` and the first 12 characters after it: shown in lists, used to find the key. */
    readonly prefix: string,
    readonly keyHash: string,
    readonly createdByUserId: string,
    readonly expiresAt: Date | null,
  ) {}

  isUsable(now: number): boolean {
    return this.revokedAt === null && (this.expiresAt === null || this.expiresAt.getTime() > now);
  }
}

/** `kw-` + 12 lookup characters + 32 secret characters (base62, ~262 bits in all). */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = randomBase62(LOOKUP_LENGTH + 32);
  const key = `${API_KEY_PREFIX}${body}`;
  return { key, prefix: prefixOf(key)!, hash: hashApiKey(key) };
}

/** The lookup prefix of a presented key, or undefined when it cannot be a Keyway key. */
export function prefixOf(key: string): string | undefined {
  if (!key.startsWith(API_KEY_PREFIX) || key.length !== API_KEY_PREFIX.length + LOOKUP_LENGTH + 32) return undefined;
  return key.slice(0, API_KEY_PREFIX.length + LOOKUP_LENGTH);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function hashesMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
