export type AttemptRecord = {
  providerSlug: string;
  credentialSource: 'byok' | 'platform';
  integrationId: string | null;
  outcome: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped (redacted), e.g. `rate_limited`, `HTTP 429: …`. */
  reason?: string;
  status?: number;
  latencyMs?: number;
};

/** One proxied request, as handed to the activity log when it ends (DESIGN §7). */
export type ActivityEntry = {
  requestId: string;
  organizationId: string;
  projectId: string;
  apiKeyId: string;
  integrationId: string | null;
  providerSlug: string | null;
  provider: string | null;
  credentialSource: 'byok' | 'platform' | null;
  requestedModel: string;
  servedModel: string | null;
  virtualModel: string | null;
  endpoint: string;
  stream: boolean;
  status: 'success' | 'error' | 'cancelled';
  httpStatus: number;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: AttemptRecord[];
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  latencyMs: number;
  ttfbMs: number | null;
  createdAt: Date;
};

/**
 * Where a request's time went (ms, fractional), for metrics; not stored. `upstreamMs`: in
 * provider calls (a whole response until its body ended; a stream until it opened).
 * `gatewayMs`: the rest, i.e. the gateway's own work: for a whole response everything else,
 * for a stream everything before it opened.
 */
export type RequestTiming = { upstreamMs: number; gatewayMs: number };

/** Receives finished requests; must not block the request path (buffer and write elsewhere). */
export abstract class ActivitySink {
  abstract record(entry: ActivityEntry, timing?: RequestTiming): void;
}
