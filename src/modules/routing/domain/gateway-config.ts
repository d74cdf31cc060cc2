import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../../platform/errors/domain-error';
import { POLICY_NAME, POLICY_NAME_RULE, ROUTING_STRATEGIES, RouteTarget, RoutingStrategy, targetListProblems } from './route-target';

/** Statuses a gateway config may retry on: timeouts, conflicts, too early, rate limits and server errors (529: Anthropic overloaded). */
export const RETRYABLE_STATUSES = [408, 409, 425, 429, 500, 502, 503, 504, 529] as const;
export const MIN_RETRY_ATTEMPTS = 1;
export const MAX_RETRY_ATTEMPTS = 5;
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_TIMEOUT_MS = 600_000;

/**
 * `attempts`: upstream calls at most for one request (the first included), walking the ordered
 * candidates and starting over when there are fewer candidates than attempts. `onStatus`: the
 * failures that move on to the next call; any other failure is answered at once.
 */
export type RetryPolicy = { readonly attempts: number; readonly onStatus: readonly number[] };

export type GatewayConfigFields = {
  name: string;
  strategy: RoutingStrategy;
  /** Replaces candidate discovery when the config is applied (by header) to a model that is not a virtual model. */
  targets: readonly RouteTarget[] | null;
  retry: RetryPolicy;
  /** Upstream timeout per attempt (headers, and between body chunks), in milliseconds. */
  timeoutMs: number;
};

/** A project's named routing policy (DESIGN §1): strategy, retry rules, timeout, and optionally its own targets. */
export class GatewayConfig {
  readonly createdAt: Date = new Date();
  updatedAt: Date = new Date();

  constructor(
    readonly id: string,
    readonly organizationId: string,
    readonly projectId: string,
    public name: string,
    public strategy: RoutingStrategy,
    public targets: RouteTarget[] | null,
    public retry: RetryPolicy,
    public timeoutMs: number,
  ) {}

  static create(owner: { organizationId: string; projectId: string }, fields: GatewayConfigFields): GatewayConfig {
    return new GatewayConfig(randomUUID(), owner.organizationId, owner.projectId, fields.name, fields.strategy, fields.targets ? [...fields.targets] : null, fields.retry, fields.timeoutMs);
  }

  fields(): GatewayConfigFields {
    return { name: this.name, strategy: this.strategy, targets: this.targets, retry: this.retry, timeoutMs: this.timeoutMs };
  }

  apply(fields: GatewayConfigFields): void {
    this.name = fields.name;
    this.strategy = fields.strategy;
    this.targets = fields.targets ? [...fields.targets] : null;
    this.retry = { attempts: fields.retry.attempts, onStatus: [...fields.retry.onStatus] };
    this.timeoutMs = fields.timeoutMs;
    this.updatedAt = new Date();
  }
}

export function gatewayConfigProblems(fields: GatewayConfigFields): FieldError[] {
  const problems: FieldError[] = [];
  if (!POLICY_NAME.test(fields.name)) problems.push({ field: 'name', message: POLICY_NAME_RULE });
  if (!ROUTING_STRATEGIES.includes(fields.strategy)) problems.push({ field: 'strategy', message: `must be one of: ${ROUTING_STRATEGIES.join(', ')}` });
  if (fields.targets) problems.push(...targetListProblems(fields.targets, 'targets'));
  problems.push(...retryProblems(fields.retry));
  if (!Number.isInteger(fields.timeoutMs) || fields.timeoutMs < MIN_TIMEOUT_MS || fields.timeoutMs > MAX_TIMEOUT_MS) {
    problems.push({ field: 'timeoutMs', message: `must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}` });
  }
  return problems;
}

function retryProblems(retry: RetryPolicy): FieldError[] {
  const problems: FieldError[] = [];
  if (!Number.isInteger(retry.attempts) || retry.attempts < MIN_RETRY_ATTEMPTS || retry.attempts > MAX_RETRY_ATTEMPTS) {
    problems.push({ field: 'retry.attempts', message: `must be an integer from ${MIN_RETRY_ATTEMPTS} to ${MAX_RETRY_ATTEMPTS}` });
  }
  const allowed: readonly number[] = RETRYABLE_STATUSES;
  if (retry.onStatus.some((status) => !allowed.includes(status))) problems.push({ field: 'retry.onStatus', message: `may hold only ${RETRYABLE_STATUSES.join(', ')}` });
  return problems;
}

/** How one request is tried: from a gateway config, or the gateway's defaults. */
export type AttemptRules = {
  timeoutMs: number;
  /** Upstream calls at most; undefined: each candidate once. */
  maxAttempts?: number;
  /** Whether a failure moves on to the next call (otherwise it is answered). */
  movesOn: (failure: { status: number; retryable: boolean; kind: string }) => boolean;
};

export const DEFAULT_TIMEOUT_MS = 120_000;

/** Without a config: connect errors, timeouts, 408, 409, 429, 5xx move on, and so does a rejected credential (another may work). */
export const DEFAULT_ATTEMPT_RULES: AttemptRules = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  movesOn: (failure) => failure.retryable || failure.kind === 'auth',
};

/**
 * A config's rules: its timeout, at most `retry.attempts` calls, and only the listed statuses move on
 * (connect errors count as 502, timeouts as 504). A rejected credential still moves on: that is the
 * credential failing, not the request.
 */
export function attemptRulesOf(config: GatewayConfig): AttemptRules {
  const onStatus = new Set(config.retry.onStatus);
  return {
    timeoutMs: config.timeoutMs,
    maxAttempts: config.retry.attempts,
    movesOn: (failure) => failure.kind === 'auth' || onStatus.has(failure.status),
  };
}

/**
 * The order in which candidates are called: each once; with `maxAttempts` above the number of
 * candidates, the list is walked again from the start (so a single target is retried).
 */
export function attemptSequence<T>(candidates: readonly T[], maxAttempts: number | undefined): T[] {
  if (maxAttempts === undefined || maxAttempts <= candidates.length || candidates.length === 0) return [...candidates];
  return Array.from({ length: maxAttempts }, (_, i) => candidates[i % candidates.length]);
}
