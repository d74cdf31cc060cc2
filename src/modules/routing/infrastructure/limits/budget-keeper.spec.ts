import { Integration } from '../../../integrations/domain/integration';
import { InMemoryBudgetLedger } from './in-memory-budget-ledger.adapter';
import { SpendHistory } from '../../application/ports/spend-history.port';
import { BudgetKeeper } from '../../application/budgets/budget-keeper';

const NOW = Date.UTC(2026, 10, 25, 18);

function integration(options: { dailyBudgetUsd?: number | null; monthlyBudgetUsd?: number | null }): Integration {
  return { id: 'c0a80101-0000-4000-8000-000000000001', options: { dailyBudgetUsd: null, monthlyBudgetUsd: null, ...options } } as unknown as Integration;
}

class History implements SpendHistory {
  calls = 0;
  constructor(public spent = { dailyUsd: 0, monthlyUsd: 0 }, public failing = false) {}
  async spentSince(): Promise<{ dailyUsd: number; monthlyUsd: number }> {
    this.calls += 1;
    if (this.failing) throw new Error('connection refused');
    return this.spent;
  }
}

function keeper(history = new History()) {
  const warnings: string[] = [];
  const k = new BudgetKeeper(new InMemoryBudgetLedger(() => NOW), history, { warn: (m) => warnings.push(m) }, () => NOW);
  return { k, warnings, history };
}

describe('BudgetKeeper', () => {
  it('an integration without a budget is not checked, and its cost is not even estimated', async () => {
    const { k, history } = keeper();
    const estimate = jest.fn(() => 1);
    expect(await k.reserve(integration({}), estimate)).toEqual({ kind: 'unlimited' });
    expect(estimate).not.toHaveBeenCalled();
    expect(history.calls).toBe(0);
  });

  it('starts from the spend recorded in the activity log, read once', async () => {
    const { k, history } = keeper(new History({ dailyUsd: 0.9, monthlyUsd: 4 }));
    const capped = integration({ dailyBudgetUsd: 1 });
    expect(await k.reserve(capped, () => 0.05)).toMatchObject({ kind: 'held' });
    expect(await k.reserve(capped, () => 0.06)).toEqual({
      kind: 'refused',
      reason: 'budget_exceeded: its daily budget of $1 is spent ($0.9 spent, $0.05 held by requests in flight; this request may cost up to $0.06)',
      retryAfterMs: 6 * 3600 * 1000,
    });
    expect(history.calls).toBe(1);
  });

  it('reads the recorded spend again after the integration changed', async () => {
    const { k, history } = keeper(new History({ dailyUsd: 0, monthlyUsd: 0 }));
    const capped = integration({ monthlyBudgetUsd: 1 });
    await k.reserve(capped, () => 0.1);
    history.spent = { dailyUsd: 0.95, monthlyUsd: 0.95 };
    k.forget(capped.id);
    expect(await k.reserve(capped, () => 0.1)).toMatchObject({ kind: 'refused' });
    expect(history.calls).toBe(2);
  });

  it('a budget that cannot be checked is not spent from, and says so once', async () => {
    const { k, warnings } = keeper(new History(undefined, true));
    const capped = integration({ dailyBudgetUsd: 1 });
    expect(await k.reserve(capped, () => 0.1)).toEqual({ kind: 'unchecked', reason: 'budget_unchecked: its spend cannot be checked right now' });
    expect(await k.reserve(capped, () => 0.1)).toMatchObject({ kind: 'unchecked' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('connection refused');
  });

  it('the status shows limit, spent, held, what is left and when each window resets', async () => {
    const { k } = keeper(new History({ dailyUsd: 0.25, monthlyUsd: 3 }));
    const capped = integration({ dailyBudgetUsd: 1, monthlyBudgetUsd: 10 });
    const held = await k.reserve(capped, () => 0.5);
    expect(await k.status(capped)).toEqual({
      daily: { limitUsd: 1, spentUsd: 0.25, reservedUsd: 0.5, remainingUsd: 0.25, startedAt: '2026-11-25T00:00:00.000Z', resetsAt: '2026-11-26T00:00:00.000Z' },
      monthly: { limitUsd: 10, spentUsd: 3, reservedUsd: 0.5, remainingUsd: 6.5, startedAt: '2026-11-01T00:00:00.000Z', resetsAt: '2026-12-01T00:00:00.000Z' },
    });
    k.settle(held, 0.125);
    await new Promise((done) => setImmediate(done));
    expect((await k.status(capped)).daily).toMatchObject({ spentUsd: 0.375, reservedUsd: 0, remainingUsd: 0.625 });
  });
});
