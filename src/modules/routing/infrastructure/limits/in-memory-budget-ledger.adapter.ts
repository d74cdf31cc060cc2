import { randomUUID } from 'node:crypto';
import { BudgetLedger, LedgerSnapshot, Reservation, ReserveDecision, WindowSpend } from '../../application/budgets/budget-ledger.port';
import { BudgetLimits, BudgetPeriod, nanos as toNanos, periodOf, RESERVATION_TTL_MS } from '../../domain/budget';

type Held = { nanos: number; period: BudgetPeriod; expiresAt: number };
type Account = { settledByDay: Map<string, number>; settledByMonth: Map<string, number>; held: Map<string, Held> };

/**
 * The ledger of one process (no `REDIS_URL`). JavaScript runs one thing at a time and nothing here
 * awaits between the check and the hold, so every operation is atomic.
 */
export class InMemoryBudgetLedger implements BudgetLedger {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(integrationId: string, limits: BudgetLimits, nanos: number): Promise<ReserveDecision> {
    const now = this.now();
    const period = periodOf(now);
    const account = this.account(integrationId);
    lapse(account, now);
    const daily = this.spend(account, period, 'day');
    const monthly = this.spend(account, period, 'month');
    if (limits.dailyUsd !== null && daily.settled + daily.reserved + nanos > toNanos(limits.dailyUsd)) return { granted: false, window: 'daily', spend: daily };
    if (limits.monthlyUsd !== null && monthly.settled + monthly.reserved + nanos > toNanos(limits.monthlyUsd)) return { granted: false, window: 'monthly', spend: monthly };
    const reservation: Reservation = { id: randomUUID(), integrationId, nanos, period };
    account.held.set(reservation.id, { nanos, period, expiresAt: now + RESERVATION_TTL_MS });
    return { granted: true, reservation };
  }

  async settle(reservation: Reservation, costNanos: number): Promise<void> {
    const account = this.account(reservation.integrationId);
    account.held.delete(reservation.id);
    if (costNanos <= 0) return;
    add(account.settledByDay, reservation.period.day, costNanos);
    add(account.settledByMonth, reservation.period.month, costNanos);
    this.prune(account, reservation.period);
  }

  async snapshot(integrationId: string): Promise<LedgerSnapshot> {
    const now = this.now();
    const period = periodOf(now);
    const account = this.account(integrationId);
    lapse(account, now);
    return { period, daily: this.spend(account, period, 'day'), monthly: this.spend(account, period, 'month') };
  }

  async reconcile(integrationId: string, period: BudgetPeriod, settled: { daily: number; monthly: number }): Promise<void> {
    const account = this.account(integrationId);
    account.settledByDay.set(period.day, Math.max(account.settledByDay.get(period.day) ?? 0, settled.daily));
    account.settledByMonth.set(period.month, Math.max(account.settledByMonth.get(period.month) ?? 0, settled.monthly));
  }

  private account(integrationId: string): Account {
    let account = this.accounts.get(integrationId);
    if (!account) {
      account = { settledByDay: new Map(), settledByMonth: new Map(), held: new Map() };
      this.accounts.set(integrationId, account);
    }
    return account;
  }

  private spend(account: Account, period: BudgetPeriod, window: 'day' | 'month'): WindowSpend {
    const key = period[window];
    let reserved = 0;
    for (const held of account.held.values()) if (held.period[window] === key) reserved += held.nanos;
    return { settled: (window === 'day' ? account.settledByDay : account.settledByMonth).get(key) ?? 0, reserved };
  }

  /** Only the current and the previous window of each kind are kept. */
  private prune(account: Account, period: BudgetPeriod): void {
    for (const [map, current] of [
      [account.settledByDay, period.day],
      [account.settledByMonth, period.month],
    ] as const) {
      if (map.size <= 2) continue;
      for (const key of [...map.keys()].sort().slice(0, -2)) if (key !== current) map.delete(key);
    }
  }
}

/** Drops the holds of requests that never settled. */
function lapse(account: Account, now: number): void {
  for (const [id, held] of account.held) if (held.expiresAt <= now) account.held.delete(id);
}

function add(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}
