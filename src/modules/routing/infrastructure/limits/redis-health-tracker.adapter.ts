import type { Redis } from 'ioredis';
import { HealthConfig, HealthFailure, HealthSnapshot, HealthStatus, HealthTracker, HealthTransition, healthConfig } from '../../application/limits/health-tracker.port';
import {
  applyFailure,
  applySuccess,
  boundedMessage,
  clear,
  HealthEntry,
  isAvailableEntry,
  isCooling,
  newHealthEntry,
  runningCooldownEnd,
  snapshotOf,
  transitionOf,
} from '../../application/limits/health-rules';
import { FailOpenWarning, LimitsLogger } from './fail-open-warning';

export const HEALTH_CHANNEL = 'keyway:health';
const DEFAULT_STATE_TTL_MS = 24 * 60 * 60 * 1000;

/*
 * Shared state of one integration: a hash <prefix>health:<id> with fields s (status), f
 * (consecutive failures), u (cooldown end, 0 = none), k (cooldown streak), e / ea (last error and
 * when), ls (last success seen by a script), v (version). The scripts mirror health-rules.ts.
 * Each one writes the hash, stamps a version that only grows (server clock in ms, or previous+1)
 * so instances can drop states that arrive out of order, publishes the new state (JSON, with
 * c = 1 when this call made a transition) and returns the same JSON.
 * KEYS[1]: the hash. ARGV: now, integration id, channel, ttl ms, then the script's own.
 */
const LOAD_AND_COMMIT_LUA = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', key, 's', 'f', 'u', 'k', 'e', 'ea', 'ls', 'v')
local st = { s = h[1] or 'healthy', f = tonumber(h[2]) or 0, u = tonumber(h[3]) or 0, k = tonumber(h[4]) or 0,
  e = h[5] or nil, ea = tonumber(h[6]), ls = tonumber(h[7]) }
local function commit(changed)
  local t = redis.call('TIME')
  st.v = math.max((tonumber(h[8]) or 0) + 1, tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  redis.call('HSET', key, 's', st.s, 'f', st.f, 'u', st.u, 'k', st.k, 'v', st.v)
  if st.e then redis.call('HSET', key, 'e', st.e, 'ea', st.ea) end
  if st.ls then redis.call('HSET', key, 'ls', st.ls) end
  -- failing has no end: it must outlive the TTL until a reset or a success clears it
  if st.s == 'failing' then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, ARGV[4]) end
  st.id = ARGV[2]
  st.c = changed and 1 or 0
  local payload = cjson.encode(st)
  redis.call('PUBLISH', ARGV[3], payload)
  return payload
end
`;

/** ARGV[5]: 1 for an auth failure, ARGV[6]: redacted message, ARGV[7..9]: threshold, cooldown ms, max cooldown ms. */
const FAILURE_LUA = `${LOAD_AND_COMMIT_LUA}
st.f = st.f + 1
st.e = ARGV[6]
st.ea = now
if ARGV[5] == '1' then
  if st.s == 'failing' then return commit(false) end
  st.s = 'failing'
  st.u = 0
  return commit(true)
end
if st.s == 'failing' or (st.s == 'cooling_down' and now < st.u) or st.f < tonumber(ARGV[7]) then return commit(false) end
st.s = 'cooling_down'
st.u = now + math.min(tonumber(ARGV[8]) * 2 ^ st.k, tonumber(ARGV[9]))
st.k = math.min(st.k + 1, 30)
return commit(true)
`;

/** Nothing to clear: no write, no message, nil reply. */
const SUCCESS_LUA = `${LOAD_AND_COMMIT_LUA}
if st.s == 'healthy' and st.f == 0 then return false end
local changed = st.s ~= 'healthy'
st.s = 'healthy'
st.f = 0
st.u = 0
st.k = 0
st.ls = now
return commit(changed)
`;

const RESET_LUA = `${LOAD_AND_COMMIT_LUA}
local changed = st.s ~= 'healthy'
st.s = 'healthy'
st.f = 0
st.u = 0
st.k = 0
return commit(changed)
`;

type HealthCommands = {
  keywayHealthFailure(
    key: string, now: number, id: string, channel: string, ttlMs: number,
    auth: number, message: string, threshold: number, cooldownMs: number, maxCooldownMs: number,
  ): Promise<string>;
  keywayHealthSuccess(key: string, now: number, id: string, channel: string, ttlMs: number): Promise<string | null>;
  keywayHealthReset(key: string, now: number, id: string, channel: string, ttlMs: number): Promise<string>;
};

type SharedState = { id: string; entry: HealthEntry; changed: boolean };

export type RedisHealthTrackerOptions = {
  /** Command connection; `enableOfflineQueue: false` and a short `commandTimeout` (see create-limits.ts). */
  redis: Redis;
  /** A connection used only for SUBSCRIBE (a subscribed connection can send nothing else). */
  subscriber: Redis;
  logger: LimitsLogger;
  config?: Partial<HealthConfig>;
  /** Instances are assumed NTP-synced: cooldown ends are computed from the recording instance's clock. */
  now?: () => number;
  keyPrefix?: string;
  channel?: string;
  /** How long a state outlives its last change (failing excepted). */
  stateTtlMs?: number;
};

/**
 * Health shared by every instance on the same Redis. Each instance keeps the state of every
 * integration locally, so the routing checks stay synchronous and O(1). Recording a failure is
 * one script that counts it in a shared counter and decides the transition atomically (so the
 * threshold counts failures from all instances, and exactly one caller sees `changed`). Every
 * new state is published on `keyway:health`; instances adopt it if its version is newer than
 * theirs. A success costs a round trip only when this instance knows of failures to clear.
 * On (re)connection the instance reloads all states, since messages may have been missed.
 *
 * If Redis cannot answer, the outcome is applied to the local state only and a warning logged:
 * health is an optimisation of routing, and a Redis blip must not fail requests (availability
 * over strictness); the next state from Redis supersedes the local one.
 */
export class RedisHealthTracker implements HealthTracker {
  private readonly entries = new Map<string, HealthEntry>();
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly commands: HealthCommands;
  private readonly config: HealthConfig;
  private readonly now: () => number;
  private readonly logger: LimitsLogger;
  private readonly warning: FailOpenWarning;
  private readonly keyPrefix: string;
  private readonly channel: string;
  private readonly stateTtlMs: number;
  private started?: Promise<void>;
  private resyncing = false;
  private resyncAgain = false;

  constructor(options: RedisHealthTrackerOptions) {
    this.redis = options.redis;
    this.subscriber = options.subscriber;
    this.config = healthConfig(options.config);
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.warning = new FailOpenWarning(options.logger, 'Integration health', this.now);
    this.keyPrefix = `${options.keyPrefix ?? 'keyway:'}health:`;
    this.channel = options.channel ?? HEALTH_CHANNEL;
    this.stateTtlMs = options.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
    this.redis.defineCommand('keywayHealthFailure', { lua: FAILURE_LUA, numberOfKeys: 1 });
    this.redis.defineCommand('keywayHealthSuccess', { lua: SUCCESS_LUA, numberOfKeys: 1 });
    this.redis.defineCommand('keywayHealthReset', { lua: RESET_LUA, numberOfKeys: 1 });
    // defineCommand adds the methods at run time; this is their type.
    this.commands = this.redis as unknown as HealthCommands;
  }

  /** Subscribes to the channel and loads the shared states. Idempotent; resolves once listening. */
  start(): Promise<void> {
    this.started ??= this.listen();
    return this.started;
  }

  /** Stops listening. The connections belong to the caller. */
  async close(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onReconnect);
    this.redis.off('ready', this.onReconnect);
    // While disconnected an UNSUBSCRIBE would wait in the offline queue; the subscription dies with the connection anyway.
    if (this.started && this.subscriber.status === 'ready') await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  isCoolingDown(integrationId: string): boolean {
    return isCooling(this.entries.get(integrationId), this.now());
  }

  isAvailable(integrationId: string): boolean {
    return isAvailableEntry(this.entries.get(integrationId), this.now());
  }

  cooldownUntil(integrationId: string): number | null {
    return runningCooldownEnd(this.entries.get(integrationId), this.now());
  }

  snapshot(integrationId: string): HealthSnapshot {
    return snapshotOf(this.entries.get(integrationId), this.now());
  }

  async recordFailure(integrationId: string, failure: HealthFailure): Promise<HealthTransition> {
    const now = this.now();
    const { failureThreshold, cooldownMs, maxCooldownMs } = this.config;
    try {
      const raw = await this.commands.keywayHealthFailure(
        this.keyOf(integrationId), now, integrationId, this.channel, this.stateTtlMs,
        failure.authFailure ? 1 : 0, boundedMessage(failure.message), failureThreshold, cooldownMs, maxCooldownMs,
      );
      return this.adoptResult(integrationId, raw, now);
    } catch (error) {
      this.warning.failed(error);
      const entry = this.entryFor(integrationId);
      return transitionOf(entry, now, applyFailure(entry, failure, now, this.config));
    }
  }

  async recordSuccess(integrationId: string): Promise<HealthTransition> {
    const now = this.now();
    const entry = this.entryFor(integrationId);
    // The hot path: as far as this instance knows (it hears of every failure) there is nothing
    // shared to clear, so no round trip.
    if (entry.status === 'healthy' && entry.consecutiveFailures === 0) return transitionOf(entry, now, applySuccess(entry, now));
    try {
      const raw = await this.commands.keywayHealthSuccess(this.keyOf(integrationId), now, integrationId, this.channel, this.stateTtlMs);
      if (raw === null) {
        applySuccess(entry, now);
        return transitionOf(entry, now, false);
      }
      return this.adoptResult(integrationId, raw, now);
    } catch (error) {
      this.warning.failed(error);
      return transitionOf(entry, now, applySuccess(entry, now));
    }
  }

  async reset(integrationId: string): Promise<void> {
    const now = this.now();
    try {
      const raw = await this.commands.keywayHealthReset(this.keyOf(integrationId), now, integrationId, this.channel, this.stateTtlMs);
      this.adoptResult(integrationId, raw, now);
    } catch (error) {
      this.warning.failed(error);
      const entry = this.entries.get(integrationId);
      if (entry) clear(entry);
    }
  }

  private async listen(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('ready', this.onReconnect);
    this.redis.on('ready', this.onReconnect);
    await this.resync();
  }

  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    const state = parseMessage(message);
    if (state) this.adopt(state.id, state.entry);
    else this.logger.warn('ignored a malformed integration health message');
  };

  private readonly onReconnect = (): void => {
    void this.resync();
  };

  /** Loads every shared state (SCAN + one pipelined HGETALL per page); reruns once if asked again meanwhile. */
  private async resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    try {
      do {
        this.resyncAgain = false;
        await this.loadAll();
      } while (this.resyncAgain);
      this.warning.succeeded();
    } catch (error) {
      this.warning.failed(error);
    } finally {
      this.resyncing = false;
    }
  }

  private async loadAll(): Promise<void> {
    const pattern = `${this.keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
      cursor = next;
      if (keys.length > 0) await this.loadKeys(keys);
    } while (cursor !== '0');
  }

  private async loadKeys(keys: string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, hash], i) => {
      const entry = error ? null : entryFromHash(hash);
      if (entry) this.adopt(keys[i].slice(this.keyPrefix.length), entry);
    });
  }

  private adoptResult(integrationId: string, raw: string, now: number): HealthTransition {
    this.warning.succeeded();
    const state = parseMessage(raw);
    if (!state) throw new Error('malformed reply from the health script');
    this.adopt(integrationId, state.entry);
    // The script's own state and verdict, even if a newer one has already arrived meanwhile.
    return transitionOf(state.entry, now, state.changed);
  }

  /** Takes a shared state unless this instance already holds a newer one. */
  private adopt(integrationId: string, shared: HealthEntry): void {
    const entry = this.entries.get(integrationId);
    if (!entry) {
      this.entries.set(integrationId, { ...shared });
      return;
    }
    if (shared.version <= entry.version) return;
    const lastSuccessAt = latest(entry.lastSuccessAt, shared.lastSuccessAt);
    Object.assign(entry, shared);
    entry.lastSuccessAt = lastSuccessAt;
  }

  private entryFor(integrationId: string): HealthEntry {
    let entry = this.entries.get(integrationId);
    if (!entry) this.entries.set(integrationId, (entry = newHealthEntry()));
    return entry;
  }

  private keyOf(integrationId: string): string {
    return this.keyPrefix + integrationId;
  }
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

const STATUSES: readonly string[] = ['healthy', 'cooling_down', 'failing'] satisfies HealthStatus[];

function isStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && STATUSES.includes(value);
}

/** A script reply or published message: JSON with numbers (cjson). */
function parseMessage(raw: string): SharedState | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  const entry = entryFrom(fields);
  if (!entry || typeof fields.id !== 'string') return null;
  return { id: fields.id, entry, changed: fields.c === 1 };
}

/** An HGETALL reply: all fields are strings. */
function entryFromHash(hash: unknown): HealthEntry | null {
  if (typeof hash !== 'object' || hash === null) return null;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(hash as Record<string, unknown>)) {
    fields[name] = name === 's' || name === 'e' || typeof value !== 'string' ? value : Number(value);
  }
  return entryFrom(fields);
}

function entryFrom(fields: Record<string, unknown>): HealthEntry | null {
  const { s, f, u, k, e, ea, ls, v } = fields;
  if (!isStatus(s) || !isCount(f) || !isCount(u) || !isCount(k) || !isCount(v)) return null;
  return {
    status: s,
    consecutiveFailures: f,
    cooldownUntil: u === 0 ? null : u,
    cooldownStreak: k,
    lastError: typeof e === 'string' ? e : null,
    lastErrorAt: isCount(ea) ? ea : null,
    lastSuccessAt: isCount(ls) ? ls : null,
    version: v,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
