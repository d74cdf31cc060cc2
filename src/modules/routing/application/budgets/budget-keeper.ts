import type { Integration } from '../../../integrations/domain/integration';
import { BudgetLimits, BudgetWindow, hasBudget, nanos, nanosUp, periodOf, usd, windowEnd, windowStart } from '../../domain/budget';
import { SpendHistory } from '../ports/spend-history.port';
import { BudgetLedger, Reservation, WindowSpend } from './budget-ledger.port';

/** The outcome of asking to spend on an integration. */
export type BudgetCheck =
  | { readonly kind: 'unlimited' }
  | { readonly kind: 'held'; readonly reservation: Reservation }
  /** `reason` starts with `budget_exceeded`; retry once the window turns over. */
  | { readonly kind: 'refused'; readonly reason: string; readonly retryAfterMs: number }
  | { readonly kind: 'unchecked'; readonly reason: string };

export type WindowStatus = {
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number;
  startedAt: string;
  resetsAt: string;
};

export type BudgetStatus = { daily: WindowStatus | null; monthly: WindowStatus | null };

export type BudgetLogger = { warn(message: string): void };

const WARN_EVERY_MS = 30_000;

/**
 * Budgets of integrations (DESIGN §7): a request reserves its worst-case cost before it is sent to
 * a budgeted integration and settles to its real cost when it ends. The ledger's running totals are
 * reconciled with the activity log once per integration and process, before its first check
 * (and again after the integration changes), so that a restart, or a Redis that lost its data,
 * starts from what was really spent. After that no check touches the database.
 *
 * A budget that cannot be checked (Redis or the database unreachable) is not spent from: the
 * integration is skipped for the request, like one over budget, and routing moves on.
 */
export class BudgetKeeper {
  private readonly reconciled = new Map<string, Promise<void>>();
  private lastWarning = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ledger: BudgetLedger,
    private readonly history: SpendHistory,
    private readonly logger: BudgetLogger,
    private readonly now: () => number = Date.now,
  ) {}

  static limitsOf(integration: Integration): BudgetLimits {
    return { dailyUsd: integration.options.dailyBudgetUsd ?? null, monthlyUsd: integration.options.monthlyBudgetUsd ?? null };
  }

  /** `estimate`: the request's worst-case cost (USD); only computed for an integration with a budget. */
  /** Whether the integration has a budget at all (checked without waiting, on the hot path). */
  static applies(integration: Integration): boolean {
    return hasBudget(BudgetKeeper.limitsOf(integration));
  }

  async reserve(integration: Integration, estimate: () => number): Promise<BudgetCheck> {
    const limits = BudgetKeeper.limitsOf(integration);
    if (!hasBudget(limits)) return UNLIMITED;
    const worstCaseUsd = estimate();
    try {
      await this.reconcile(integration.id);
      // At least one nano-dollar, so that a spent budget refuses even a request it cannot price.
      const decision = await this.ledger.reserve(integration.id, limits, Math.max(1, nanosUp(worstCaseUsd)));
      if (decision.granted) return { kind: 'held', reservation: decision.reservation };
      const limit = decision.window === 'daily' ? limits.dailyUsd! : limits.monthlyUsd!;
      return {
        kind: 'refused',
        reason: `budget_exceeded: its ${decision.window} budget of $${limit} is spent (${describe(decision.spend)}; this request may cost up to $${round(worstCaseUsd)})`,
        retryAfterMs: windowEnd(decision.window, this.now()).getTime() - this.now(),
      };
    } catch (error) {
      this.warn(`Budgets: cannot check the budget of integration ${integration.id} (${messageOf(error)}); it is skipped until its spend can be checked`);
      return { kind: 'unchecked', reason: 'budget_unchecked: its spend cannot be checked right now' };
    }
  }

  /** Fire and forget: the request has ended. A failed settle is logged; its hold lapses on its own. */
  settle(check: BudgetCheck | null, costUsd: number | null): void {
    if (check?.kind !== 'held') return;
    this.ledger.settle(check.reservation, costUsd === null ? 0 : nanos(costUsd)).catch((error: unknown) => {
      this.warn(`Budgets: could not settle a request on integration ${check.reservation.integrationId} (${messageOf(error)})`);
    });
  }

  async status(integration: Integration): Promise<BudgetStatus> {
    const limits = BudgetKeeper.limitsOf(integration);
    if (!hasBudget(limits)) return { daily: null, monthly: null };
    await this.reconcile(integration.id);
    const snapshot = await this.ledger.snapshot(integration.id);
    const now = this.now();
    return {
      daily: limits.dailyUsd === null ? null : windowStatus(limits.dailyUsd, snapshot.daily, 'daily', now),
      monthly: limits.monthlyUsd === null ? null : windowStatus(limits.monthlyUsd, snapshot.monthly, 'monthly', now),
    };
  }

  /** The integration changed (its budget may be new): its totals are reconciled again before the next check. */
  forget(integrationId: string): void {
    this.reconciled.delete(integrationId);
  }

  private reconcile(integrationId: string): Promise<void> {
    let done = this.reconciled.get(integrationId);
    if (!done) {
      done = this.load(integrationId);
      this.reconciled.set(integrationId, done);
      done.catch(() => this.reconciled.delete(integrationId));
    }
    return done;
  }

  private async load(integrationId: string): Promise<void> {
    const now = this.now();
    const spent = await this.history.spentSince(integrationId, windowStart('daily', now), windowStart('monthly', now));
    await this.ledger.reconcile(integrationId, periodOf(now), { daily: nanos(spent.dailyUsd), monthly: nanos(spent.monthlyUsd) });
  }

  private warn(message: string): void {
    const now = this.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}

const UNLIMITED: BudgetCheck = Object.freeze({ kind: 'unlimited' });

function windowStatus(limitUsd: number, spend: WindowSpend, window: BudgetWindow, now: number): WindowStatus {
  return {
    limitUsd,
    spentUsd: usd(spend.settled),
    reservedUsd: usd(spend.reserved),
    remainingUsd: Math.max(0, usd(nanos(limitUsd) - spend.settled - spend.reserved)),
    startedAt: windowStart(window, now).toISOString(),
    resetsAt: windowEnd(window, now).toISOString(),
  };
}

function describe(spend: WindowSpend): string {
  const held = spend.reserved > 0 ? `, $${round(usd(spend.reserved))} held by requests in flight` : '';
  return `$${round(usd(spend.settled))} spent${held}`;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
