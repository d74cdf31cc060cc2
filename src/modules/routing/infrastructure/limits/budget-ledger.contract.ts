import { randomUUID } from 'node:crypto';
import type { BudgetLedger } from '../../application/budgets/budget-ledger.port';
import { periodOf, RESERVATION_TTL_MS } from '../../domain/budget';
import { FakeClock } from './limits-test-support';

/** 2026-11-25T23:59:00Z: a minute before the day turns over. */
export const BEFORE_MIDNIGHT = Date.UTC(2026, 10, 25, 23, 59);

const DAILY = (usd: number) => ({ dailyUsd: usd, monthlyUsd: null });

/** Behaviour every BudgetLedger adapter shares; `make` builds one on the given clock. Amounts are nano-dollars. */
export function budgetLedgerContract(make: (clock: FakeClock) => BudgetLedger): void {
  it('grants reservations while settled + held + the new one stays within the limit', async () => {
    const ledger = make(new FakeClock(BEFORE_MIDNIGHT));
    const id = randomUUID();
    const first = await ledger.reserve(id, DAILY(1e-6), 600);
    expect(first.granted).toBe(true);
    expect(await ledger.reserve(id, DAILY(1e-6), 400)).toMatchObject({ granted: true });
    expect(await ledger.reserve(id, DAILY(1e-6), 1)).toEqual({ granted: false, window: 'daily', spend: { settled: 0, reserved: 1000 } });
  });

  it('settling replaces the hold with the real cost', async () => {
    const ledger = make(new FakeClock(BEFORE_MIDNIGHT));
    const id = randomUUID();
    const held = await ledger.reserve(id, DAILY(1e-6), 700);
    if (!held.granted) throw new Error('refused');
    await ledger.settle(held.reservation, 250);
    expect(await ledger.snapshot(id)).toEqual({ period: periodOf(BEFORE_MIDNIGHT), daily: { settled: 250, reserved: 0 }, monthly: { settled: 250, reserved: 0 } });
    expect(await ledger.reserve(id, DAILY(1e-6), 750)).toMatchObject({ granted: true });
    expect(await ledger.reserve(id, DAILY(1e-6), 1)).toMatchObject({ granted: false });
  });

  it('a request that failed settles at zero and gives its hold back', async () => {
    const ledger = make(new FakeClock(BEFORE_MIDNIGHT));
    const id = randomUUID();
    const held = await ledger.reserve(id, DAILY(1e-6), 1000);
    if (!held.granted) throw new Error('refused');
    await ledger.settle(held.reservation, 0);
    expect(await ledger.reserve(id, DAILY(1e-6), 1000)).toMatchObject({ granted: true });
  });

  it('the monthly limit holds across days; the daily one starts again at midnight UTC', async () => {
    const clock = new FakeClock(BEFORE_MIDNIGHT);
    const ledger = make(clock);
    const id = randomUUID();
    const limits = { dailyUsd: 1e-6, monthlyUsd: 1.5e-6 };
    const held = await ledger.reserve(id, limits, 1000);
    if (!held.granted) throw new Error('refused');
    await ledger.settle(held.reservation, 1000);
    expect(await ledger.reserve(id, limits, 1)).toMatchObject({ granted: false, window: 'daily' });
    clock.advance(60_000);
    expect(await ledger.reserve(id, limits, 600)).toMatchObject({ granted: false, window: 'monthly', spend: { settled: 1000, reserved: 0 } });
    expect(await ledger.reserve(id, limits, 500)).toMatchObject({ granted: true });
  });

  it('a hold made before midnight is settled into the day it was made in', async () => {
    const clock = new FakeClock(BEFORE_MIDNIGHT);
    const ledger = make(clock);
    const id = randomUUID();
    const held = await ledger.reserve(id, DAILY(1), 900);
    if (!held.granted) throw new Error('refused');
    clock.advance(120_000);
    await ledger.settle(held.reservation, 900);
    expect(await ledger.snapshot(id)).toMatchObject({ daily: { settled: 0, reserved: 0 }, monthly: { settled: 900, reserved: 0 } });
  });

  it('a hold that is never settled lapses', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 10));
    const ledger = make(clock);
    const id = randomUUID();
    expect(await ledger.reserve(id, DAILY(1e-6), 1000)).toMatchObject({ granted: true });
    clock.advance(RESERVATION_TTL_MS + 1);
    expect(await ledger.reserve(id, DAILY(1e-6), 1000)).toMatchObject({ granted: true });
  });

  it('reconciling raises the settled totals to the recorded spend, never lowers them', async () => {
    const ledger = make(new FakeClock(BEFORE_MIDNIGHT));
    const id = randomUUID();
    const period = periodOf(BEFORE_MIDNIGHT);
    await ledger.reconcile(id, period, { daily: 300, monthly: 5000 });
    expect(await ledger.snapshot(id)).toMatchObject({ daily: { settled: 300 }, monthly: { settled: 5000 } });
    await ledger.reconcile(id, period, { daily: 100, monthly: 100 });
    expect(await ledger.snapshot(id)).toMatchObject({ daily: { settled: 300 }, monthly: { settled: 5000 } });
    expect(await ledger.reserve(id, { dailyUsd: null, monthlyUsd: 5.5e-6 }, 501)).toMatchObject({ granted: false, window: 'monthly' });
  });

  it('50 concurrent reservations against room for 7: exactly 7 granted', async () => {
    const ledger = make(new FakeClock(BEFORE_MIDNIGHT));
    const id = randomUUID();
    const decisions = await Promise.all(Array.from({ length: 50 }, () => ledger.reserve(id, DAILY(7e-6), 1000)));
    expect(decisions.filter((d) => d.granted)).toHaveLength(7);
  });
}
