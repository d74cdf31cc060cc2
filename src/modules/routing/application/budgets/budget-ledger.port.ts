import type { BudgetLimits, BudgetPeriod, BudgetWindow } from '../../domain/budget';

/** Money held for a request in flight, in whole nano-dollars, counted in the windows it was made in. */
export type Reservation = { readonly id: string; readonly integrationId: string; readonly nanos: number; readonly period: BudgetPeriod };

/** Spend of one window: settled, and held by requests still in flight (nano-dollars). */
export type WindowSpend = { readonly settled: number; readonly reserved: number };

export type LedgerSnapshot = { readonly period: BudgetPeriod; readonly daily: WindowSpend; readonly monthly: WindowSpend };

export type ReserveDecision =
  | { readonly granted: true; readonly reservation: Reservation }
  | { readonly granted: false; readonly window: BudgetWindow; readonly spend: WindowSpend };

/**
 * Running spend per integration and window, with reservations. Every operation is atomic: a
 * reservation is granted only if settled + reserved + its amount stays within each limit, so
 * concurrent requests (of every instance sharing the ledger) cannot overshoot together.
 */
export abstract class BudgetLedger {
  /** Holds `nanos` for a request if it fits every limit set (null = no limit in that window). */
  abstract reserve(integrationId: string, limits: BudgetLimits, nanos: number): Promise<ReserveDecision>;

  /** Releases the reservation and adds the real cost to the windows it was made in. */
  abstract settle(reservation: Reservation, costNanos: number): Promise<void>;

  abstract snapshot(integrationId: string): Promise<LedgerSnapshot>;

  /**
   * Raises the settled spend of the current windows to at least what the activity log says was
   * spent (never lowers it: instances may have settled requests the log has not received yet).
   */
  abstract reconcile(integrationId: string, period: BudgetPeriod, settled: { daily: number; monthly: number }): Promise<void>;
}
