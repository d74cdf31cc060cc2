import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { KeywayConfig } from '../config/keyway-config';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './jwt-constants';

/**
 * The HS256 signing secret: `JWT_SECRET`, or on the embedded default a random secret kept in
 * the data folder (mode 0600) so tokens survive a restart.
 */
export class JwtSecret {
  private readonly key: Uint8Array;

  constructor(
    readonly value: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(value);
  }

  static fromConfig(config: KeywayConfig): JwtSecret {
    return new JwtSecret(config.jwtSecret ?? loadOrCreateSecretFile(config.dataDir), config.jwtTtlSeconds);
  }

  async sign(userId: string): Promise<{ token: string; expiresIn: number }> {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds };
  }
}

function loadOrCreateSecretFile(dataDir: string): string {
  const path = join(dataDir, 'jwt-secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(path, 'wx', 0o600);
    const secret = randomBytes(48).toString('base64url');
    writeSync(fd, secret);
    closeSync(fd);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8').trim();
  }
}
