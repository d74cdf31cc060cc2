import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** Raised when the environment cannot be turned into a configuration; the message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'embedded'; dataDir: string; poolSize: number };

export type KekConfig =
  | { kind: 'local'; keyring?: string }
  | { kind: 'aws-kms'; keyId: string; region: string; endpoint?: string };

/** The operator's own provider credentials, by provider id (not yet checked against the catalog). */
export type PlatformCredentialConfig = { source: string; credential: Record<string, unknown>; baseUrl?: string };

export type ExternalIdentityConfig = { jwksUrl: string; issuer: string; audience: string };

/**
 * Prometheus metrics. `token`: `GET /metrics` on the main port answers only with this bearer token
 * (404 when unset). `port`: a separate listener on `host` that serves `/metrics` without a token.
 */
export type MetricsConfig = { token?: string; port?: number; host: string };

/**
 * The whole configuration, read once at boot from the environment. Everything else takes
 * this object (by DI) rather than reading `process.env`.
 */
export class KeywayConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  readonly runMigrations: boolean;
  readonly redisUrl?: string;
  /** Absent on the embedded default: a secret is generated and kept in the data folder. */
  readonly jwtSecret?: string;
  readonly jwtTtlSeconds: number;
  readonly externalIdentity?: ExternalIdentityConfig;
  readonly logLevel: LogLevel;
  readonly apiBodyLimit: string;
  readonly proxyBodyLimit: string;
  readonly kek: KekConfig;
  readonly allowPrivateHosts: boolean;
  readonly swagger: boolean;
  readonly platformCredentials: ReadonlyMap<string, PlatformCredentialConfig>;
  /** Integration health: consecutive failures before a cooldown, first cooldown and its cap (ms). */
  readonly health: { failureThreshold: number; cooldownMs: number; maxCooldownMs: number };
  /** The activity writer's buffer bound, batch size and flush interval. */
  readonly activity: { bufferMax: number; batchSize: number; flushIntervalMs: number };
  /** Activity retention: records older than `days` are deleted (0: kept forever), every `intervalMs`, `batchSize` rows per statement. */
  readonly retention: { days: number; intervalMs: number; batchSize: number };
  /** Longest wait for a provider's response headers, and between two body chunks (ms). */
  readonly upstreamTimeoutMs: number;
  readonly metrics: MetricsConfig;

  constructor(env: NodeJS.ProcessEnv) {
    const read = (name: string): string | undefined => {
      const value = env[name];
      return value === undefined || value.trim() === '' ? undefined : value.trim();
    };
    this.port = integer(read, 'PORT', 3000, 0, 65535);
    this.host = read('HOST') ?? '127.0.0.1';
    this.dataDir = absolute(read('KEYWAY_DATA_DIR') ?? './data');
    const poolSize = integer(read, 'KEYWAY_DB_POOL_SIZE', 10, 1, 200);
    const databaseUrl = read('DATABASE_URL');
    if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
    }
    this.database = databaseUrl
      ? { kind: 'postgres', url: databaseUrl, poolSize }
      : { kind: 'embedded', dataDir: this.dataDir, poolSize };
    this.runMigrations = boolean(read, 'KEYWAY_RUN_MIGRATIONS', true);
    const redisUrl = read('REDIS_URL');
    if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
      throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
    }
    this.redisUrl = redisUrl;
    this.jwtSecret = read('JWT_SECRET');
    if (this.jwtSecret !== undefined && this.jwtSecret.length < 32) {
      throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
    }
    if (this.jwtSecret === undefined && this.database.kind === 'postgres') {
      throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set (every instance must sign with the same secret)');
    }
    this.jwtTtlSeconds = integer(read, 'JWT_TTL_SECONDS', 3600, 60, 30 * 24 * 3600);
    this.externalIdentity = externalIdentity(read);
    const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase();
    if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
      throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
    }
    this.logLevel = logLevel as LogLevel;
    this.apiBodyLimit = read('KEYWAY_API_BODY_LIMIT') ?? '1mb';
    this.proxyBodyLimit = read('KEYWAY_PROXY_BODY_LIMIT') ?? '20mb';
    this.kek = kekConfig(read, this.database.kind);
    this.allowPrivateHosts = boolean(read, 'KEYWAY_ALLOW_PRIVATE_HOSTS', false);
    this.swagger = boolean(read, 'KEYWAY_SWAGGER', true);
    this.platformCredentials = platformCredentials(env, read);
    this.health = {
      failureThreshold: integer(read, 'KEYWAY_HEALTH_FAILURE_THRESHOLD', 3, 1, 1000),
      cooldownMs: integer(read, 'KEYWAY_HEALTH_COOLDOWN_MS', 30_000, 1, 86_400_000),
      maxCooldownMs: integer(read, 'KEYWAY_HEALTH_MAX_COOLDOWN_MS', 600_000, 1, 86_400_000),
    };
    if (this.health.maxCooldownMs < this.health.cooldownMs) throw new ConfigError('KEYWAY_HEALTH_MAX_COOLDOWN_MS', 'must be at least KEYWAY_HEALTH_COOLDOWN_MS');
    this.upstreamTimeoutMs = integer(read, 'KEYWAY_UPSTREAM_TIMEOUT_MS', 120_000, 100, 3_600_000);
    this.activity = {
      bufferMax: integer(read, 'KEYWAY_ACTIVITY_BUFFER_MAX', 10_000, 1, 10_000_000),
      // The embedded database runs on the event loop: small batches keep each write's pause short.
      batchSize: integer(read, 'KEYWAY_ACTIVITY_BATCH_SIZE', this.database.kind === 'embedded' ? 50 : 500, 1, 10_000),
      flushIntervalMs: integer(read, 'KEYWAY_ACTIVITY_FLUSH_INTERVAL_MS', 1_000, 10, 60_000),
    };
    if (this.activity.bufferMax < this.activity.batchSize) throw new ConfigError('KEYWAY_ACTIVITY_BUFFER_MAX', 'must be at least KEYWAY_ACTIVITY_BATCH_SIZE');
    this.retention = {
      days: integer(read, 'KEYWAY_ACTIVITY_RETENTION_DAYS', 90, 0, 36_500),
      // At most Node's largest timer delay (about 24.8 days); a longer one would fire at once.
      intervalMs: integer(read, 'KEYWAY_ACTIVITY_PURGE_INTERVAL_MS', 3_600_000, 1_000, 2_147_483_647),
      batchSize: integer(read, 'KEYWAY_ACTIVITY_PURGE_BATCH_SIZE', 5_000, 1, 100_000),
    };
    this.metrics = metricsConfig(read, this.port);
  }

  get embedded(): boolean {
    return this.database.kind === 'embedded';
  }
}

type Reader = (name: string) => string | undefined;

function integer(read: Reader, name: string, fallback: number, min: number, max: number): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

function boolean(read: Reader, name: string, fallback: boolean): boolean {
  const raw = read(name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

function metricsConfig(read: Reader, mainPort: number): MetricsConfig {
  const token = read('KEYWAY_METRICS_TOKEN');
  // The value is never echoed: it is a secret.
  if (token !== undefined && token.length < 16) throw new ConfigError('KEYWAY_METRICS_TOKEN', 'must be at least 16 characters long');
  const port = read('METRICS_PORT') === undefined ? undefined : integer(read, 'METRICS_PORT', 0, 1, 65535);
  if (port !== undefined && port === mainPort) throw new ConfigError('METRICS_PORT', `must differ from PORT (${mainPort})`);
  return { token, port, host: read('METRICS_HOST') ?? '127.0.0.1' };
}

function externalIdentity(read: Reader): ExternalIdentityConfig | undefined {
  const jwksUrl = read('KEYWAY_OIDC_JWKS_URL');
  const issuer = read('KEYWAY_OIDC_ISSUER');
  const audience = read('KEYWAY_OIDC_AUDIENCE');
  if (!jwksUrl && !issuer && !audience) return undefined;
  if (!jwksUrl) throw new ConfigError('KEYWAY_OIDC_JWKS_URL', 'is required when KEYWAY_OIDC_ISSUER or KEYWAY_OIDC_AUDIENCE is set');
  if (!/^https?:\/\//.test(jwksUrl)) throw new ConfigError('KEYWAY_OIDC_JWKS_URL', 'must be an http(s) URL');
  if (!issuer) throw new ConfigError('KEYWAY_OIDC_ISSUER', 'is required when KEYWAY_OIDC_JWKS_URL is set');
  if (!audience) throw new ConfigError('KEYWAY_OIDC_AUDIENCE', 'is required when KEYWAY_OIDC_JWKS_URL is set');
  return { jwksUrl, issuer, audience };
}

/**
 * `KEYWAY_PLATFORM_<PROVIDER>_API_KEY` (+ optional `_BASE_URL`), provider id upper-cased with
 * dashes as underscores, and `KEYWAY_PLATFORM_CREDENTIALS_FILE` (JSON: provider id → credential
 * in the integration shapes, optionally with `baseUrl`). Variables win over the file.
 */
function platformCredentials(env: NodeJS.ProcessEnv, read: Reader): Map<string, PlatformCredentialConfig> {
  const result = new Map<string, PlatformCredentialConfig>();
  const file = read('KEYWAY_PLATFORM_CREDENTIALS_FILE');
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ? `cannot be read (${(error as NodeJS.ErrnoException).code})` : 'is not valid JSON';
      throw new ConfigError('KEYWAY_PLATFORM_CREDENTIALS_FILE', `${reason}: ${file}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('KEYWAY_PLATFORM_CREDENTIALS_FILE', 'must hold a JSON object of provider id → credential');
    }
    for (const [provider, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ConfigError('KEYWAY_PLATFORM_CREDENTIALS_FILE', `entry "${provider}" must be a credential object`);
      }
      const { baseUrl, ...credential } = value as Record<string, unknown>;
      if (baseUrl !== undefined && typeof baseUrl !== 'string') throw new ConfigError('KEYWAY_PLATFORM_CREDENTIALS_FILE', `entry "${provider}": baseUrl must be a string`);
      result.set(provider, { source: `KEYWAY_PLATFORM_CREDENTIALS_FILE (${provider})`, credential, baseUrl: baseUrl as string | undefined });
    }
  }
  for (const name of Object.keys(env).sort()) {
    const match = /^KEYWAY_PLATFORM_([A-Z0-9_]+)_API_KEY$/.exec(name);
    const apiKey = read(name);
    if (!match || !apiKey) continue;
    const provider = match[1].toLowerCase().replace(/_/g, '-');
    const baseUrl = read(`KEYWAY_PLATFORM_${match[1]}_BASE_URL`);
    if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl)) throw new ConfigError(`KEYWAY_PLATFORM_${match[1]}_BASE_URL`, 'must be an http(s) URL');
    result.set(provider, { source: name, credential: { apiKey }, baseUrl });
  }
  return result;
}

function kekConfig(read: Reader, database: DatabaseConfig['kind']): KekConfig {
  const kmsKeyId = read('KEYWAY_KMS_KEY_ID');
  if (kmsKeyId) {
    const region = read('KEYWAY_KMS_REGION') ?? read('AWS_REGION');
    if (!region) throw new ConfigError('KEYWAY_KMS_REGION', 'is required when KEYWAY_KMS_KEY_ID is set (or set AWS_REGION)');
    return { kind: 'aws-kms', keyId: kmsKeyId, region, endpoint: read('KEYWAY_KMS_ENDPOINT') };
  }
  const keyring = read('KEYWAY_MASTER_KEYS');
  if (!keyring && database === 'postgres') {
    throw new ConfigError(
      'KEYWAY_MASTER_KEYS',
      'is required when DATABASE_URL is set (or configure KEYWAY_KMS_KEY_ID); generate one with: node -e "console.log(\'v1:\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    );
  }
  return { kind: 'local', keyring };
}
