import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BudgetLedger, LedgerSnapshot, Reservation, ReserveDecision, WindowSpend } from '../../application/budgets/budget-ledger.port';
import { BudgetLimits, BudgetPeriod, nanos as toNanos, periodOf, RESERVATION_TTL_MS } from '../../domain/budget';

/**
 * Shared by every script: drops lapsed reservations, then sums the held amounts of the current
 * day and month. A reservation is the member `<id>|<day>|<month>|<nanos>` of a sorted set scored by
 * when it lapses. KEYS: day total, month total, reservations. ARGV[1]: now (ms), ARGV[2] day, ARGV[3] month.
 */
const SPEND_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
local heldDay, heldMonth = 0, 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local day, month, amount = string.match(member, '^[^|]+|([^|]+)|([^|]+)|(%d+)$')
  amount = tonumber(amount) or 0
  if day == ARGV[2] then heldDay = heldDay + amount end
  if month == ARGV[3] then heldMonth = heldMonth + amount end
end
local settledDay = tonumber(redis.call('GET', KEYS[1]) or '0')
local settledMonth = tonumber(redis.call('GET', KEYS[2]) or '0')
`;

/** ARGV[4] amount, [5] daily limit (-1: none), [6] monthly limit, [7] member, [8] lapse time. Returns {refused window (0 none, 1 day, 2 month), settled, held} of the deciding window. */
const RESERVE_LUA = `${SPEND_LUA}
local amount = tonumber(ARGV[4])
local dailyLimit = tonumber(ARGV[5])
local monthlyLimit = tonumber(ARGV[6])
if dailyLimit >= 0 and settledDay + heldDay + amount > dailyLimit then return {1, settledDay, heldDay} end
if monthlyLimit >= 0 and settledMonth + heldMonth + amount > monthlyLimit then return {2, settledMonth, heldMonth} end
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[7])
redis.call('PEXPIREAT', KEYS[3], ARGV[8])
return {0, settledDay, heldDay}
`;

const SNAPSHOT_LUA = `${SPEND_LUA}
return {settledDay, heldDay, settledMonth, heldMonth}
`;

/** KEYS: day total, month total, reservations. ARGV: member, cost, day total expiry (ms), month total expiry. */
const SETTLE_LUA = `
redis.call('ZREM', KEYS[3], ARGV[1])
local cost = tonumber(ARGV[2])
if cost > 0 then
  redis.call('INCRBY', KEYS[1], cost)
  redis.call('INCRBY', KEYS[2], cost)
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
`;

/** KEYS: day total, month total. ARGV: day spend, month spend, expiries. Raises, never lowers. */
const RECONCILE_LUA = `
local values = {ARGV[1], ARGV[2]}
local expiries = {ARGV[3], ARGV[4]}
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') < tonumber(values[i]) then
    redis.call('SET', KEYS[i], values[i], 'PX', expiries[i])
  end
end
return 1
`;

type BudgetCommands = {
  keywayBudgetReserve(day: string, month: string, held: string, ...args: (string | number)[]): Promise<[number, number, number]>;
  keywayBudgetSnapshot(day: string, month: string, held: string, ...args: (string | number)[]): Promise<[number, number, number, number]>;
  keywayBudgetSettle(day: string, month: string, held: string, ...args: (string | number)[]): Promise<number>;
  keywayBudgetReconcile(day: string, month: string, ...args: (string | number)[]): Promise<number>;
};

/** A day's total is kept two days, a month's 32 days: long enough to be read while current. */
const DAY_TOTAL_TTL_MS = 2 * 24 * 3600 * 1000;
const MONTH_TOTAL_TTL_MS = 32 * 24 * 3600 * 1000;

export type RedisBudgetLedgerOptions = { redis: Redis; now?: () => number; keyPrefix?: string };

/**
 * The ledger shared by every instance on one Redis: one script per reserve, settle or reconcile,
 * so the check and the hold are one atomic step across instances. Keys of an integration share the
 * hash tag `{<integrationId>}`. Errors propagate: the caller decides (a budget that cannot be checked
 * is not spent from; see BudgetKeeper).
 */
export class RedisBudgetLedger implements BudgetLedger {
  private readonly commands: BudgetCommands;
  private readonly now: () => number;
  private readonly keyPrefix: string;

  constructor({ redis, now = Date.now, keyPrefix = 'keyway:' }: RedisBudgetLedgerOptions) {
    redis.defineCommand('keywayBudgetReserve', { lua: RESERVE_LUA, numberOfKeys: 3 });
    redis.defineCommand('keywayBudgetSnapshot', { lua: SNAPSHOT_LUA, numberOfKeys: 3 });
    redis.defineCommand('keywayBudgetSettle', { lua: SETTLE_LUA, numberOfKeys: 3 });
    redis.defineCommand('keywayBudgetReconcile', { lua: RECONCILE_LUA, numberOfKeys: 2 });
    // defineCommand adds the methods at run time; this is their type.
    this.commands = redis as unknown as BudgetCommands;
    this.now = now;
    this.keyPrefix = keyPrefix;
  }

  async reserve(integrationId: string, limits: BudgetLimits, nanos: number): Promise<ReserveDecision> {
    const now = this.now();
    const period = periodOf(now);
    const reservation: Reservation = { id: randomUUID(), integrationId, nanos, period };
    const [refused, settled, reserved] = await this.commands.keywayBudgetReserve(
      ...this.keys(integrationId, period),
      now,
      period.day,
      period.month,
      nanos,
      limits.dailyUsd === null ? -1 : toNanos(limits.dailyUsd),
      limits.monthlyUsd === null ? -1 : toNanos(limits.monthlyUsd),
      member(reservation),
      now + RESERVATION_TTL_MS,
    );
    if (refused === 0) return { granted: true, reservation };
    return { granted: false, window: refused === 1 ? 'daily' : 'monthly', spend: { settled, reserved } };
  }

  async settle(reservation: Reservation, costNanos: number): Promise<void> {
    await this.commands.keywayBudgetSettle(...this.keys(reservation.integrationId, reservation.period), member(reservation), Math.max(0, Math.round(costNanos)), DAY_TOTAL_TTL_MS, MONTH_TOTAL_TTL_MS);
  }

  async snapshot(integrationId: string): Promise<LedgerSnapshot> {
    const now = this.now();
    const period = periodOf(now);
    const [dayTotal, dayHeld, monthTotal, monthHeld] = await this.commands.keywayBudgetSnapshot(...this.keys(integrationId, period), now, period.day, period.month);
    const daily: WindowSpend = { settled: dayTotal, reserved: dayHeld };
    const monthly: WindowSpend = { settled: monthTotal, reserved: monthHeld };
    return { period, daily, monthly };
  }

  async reconcile(integrationId: string, period: BudgetPeriod, settled: { daily: number; monthly: number }): Promise<void> {
    const [day, month] = this.keys(integrationId, period);
    await this.commands.keywayBudgetReconcile(day, month, Math.round(settled.daily), Math.round(settled.monthly), DAY_TOTAL_TTL_MS, MONTH_TOTAL_TTL_MS);
  }

  private keys(integrationId: string, period: BudgetPeriod): [string, string, string] {
    const base = `${this.keyPrefix}budget:{${integrationId}}:`;
    return [`${base}d:${period.day}`, `${base}m:${period.month}`, `${base}held`];
  }
}

function member(reservation: Reservation): string {
  return `${reservation.id}|${reservation.period.day}|${reservation.period.month}|${reservation.nanos}`;
}
