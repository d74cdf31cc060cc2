import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityEntry, AttemptRecord, RequestTiming } from '../../application/ports/activity-sink.port';
import { BoundedLabel } from './bounded-label';

/** Distinct provider slugs (integration slugs, `platform:<provider>`) and models kept as label values; the rest are `other`. */
export const MAX_PROVIDER_SLUGS = 500;
export const MAX_MODELS = 300;
const MAX_LABEL_LENGTH = 100;

/** Label value of a request that was never routed (no candidate was tried). */
export const NONE = 'none';

/** Whole requests and upstream calls of an LLM: from tens of milliseconds to minutes. */
const REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const TTFB_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
/** The gateway's own work: well under a millisecond when warm. */
const OVERHEAD_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** The activity writer's counters, read at scrape time. */
export type ActivityWriterStats = { bufferDepth(): number; dropped(): number; written(): number; rejected(): number };

const SERIES = ['provider_slug', 'credential_source', 'model'] as const;

/**
 * The proxy's Prometheus series, on one registry. Built once per registry ({@link GatewayMetrics.of}):
 * the activity sink and the health tracker decorators share it, and a registry refuses a metric
 * name registered twice.
 */
export class GatewayMetrics {
  private static readonly byRegistry = new WeakMap<Registry, GatewayMetrics>();

  private readonly slugs = new BoundedLabel(MAX_PROVIDER_SLUGS, MAX_LABEL_LENGTH);
  private readonly models = new BoundedLabel(MAX_MODELS, MAX_LABEL_LENGTH);
  private readonly requests: Counter<(typeof SERIES)[number] | 'status'>;
  private readonly tokens: Counter<(typeof SERIES)[number] | 'type'>;
  private readonly cost: Counter<(typeof SERIES)[number]>;
  private readonly duration: Histogram<(typeof SERIES)[number]>;
  private readonly upstream: Histogram<(typeof SERIES)[number]>;
  private readonly overhead: Histogram<(typeof SERIES)[number]>;
  private readonly ttfb: Histogram<(typeof SERIES)[number]>;
  private readonly upstreamErrors: Counter<'provider_slug' | 'credential_source' | 'status_code'>;
  private readonly rejections: Counter<'provider_slug' | 'credential_source' | 'reason'>;
  private readonly cooldowns: Counter<'provider_slug'>;
  private watchingWriter = false;

  static of(registry: Registry): GatewayMetrics {
    let metrics = GatewayMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new GatewayMetrics(registry);
      GatewayMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(private readonly registry: Registry) {
    const registers = [registry];
    const labelNames = [...SERIES];
    this.requests = new Counter({ name: 'keyway_requests_total', help: 'Proxied requests, by outcome (success, error, cancelled).', labelNames: [...SERIES, 'status'], registers });
    this.tokens = new Counter({ name: 'keyway_tokens_total', help: 'Tokens reported by providers, by type: input (every prompt token), output, and the parts of input read from (cached) or written to (cache_write) a prompt cache.', labelNames: [...SERIES, 'type'], registers });
    this.cost = new Counter({ name: 'keyway_cost_usd_total', help: 'Estimated cost in USD (catalog or custom pricing), of requests whose price is known.', labelNames, registers });
    this.duration = new Histogram({ name: 'keyway_request_duration_seconds', help: 'Whole request, as the client saw it (to the end of the body or stream).', labelNames, buckets: REQUEST_BUCKETS, registers });
    this.upstream = new Histogram({
      name: 'keyway_upstream_duration_seconds',
      help: 'Time spent in provider calls (all attempts): a whole response until its body ended, a stream until it opened.',
      labelNames,
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.overhead = new Histogram({
      name: 'keyway_gateway_overhead_seconds',
      help: "The gateway's own work: everything but the provider calls (for a stream, until it opened).",
      labelNames,
      buckets: OVERHEAD_BUCKETS,
      registers,
    });
    this.ttfb = new Histogram({ name: 'keyway_time_to_first_byte_seconds', help: 'Streams: from the request to the first event sent to the client.', labelNames, buckets: TTFB_BUCKETS, registers });
    this.upstreamErrors = new Counter({
      name: 'keyway_upstream_errors_total',
      help: "Failed provider calls (attempts), by the provider's HTTP status; 502 when it could not be reached or answered badly, 504 on a timeout.",
      labelNames: ['provider_slug', 'credential_source', 'status_code'],
      registers,
    });
    this.rejections = new Counter({
      name: 'keyway_rejections_total',
      help: 'Candidates skipped before any call: reason rate_limit (the integration is at its RPM limit) or budget (a budget is exhausted).',
      labelNames: ['provider_slug', 'credential_source', 'reason'],
      registers,
    });
    this.cooldowns = new Counter({ name: 'keyway_cooldowns_total', help: 'Integrations put into cooldown after consecutive failures.', labelNames: ['provider_slug'], registers });
  }

  /** One finished request, as the proxy hands it to the activity log. */
  recordRequest(entry: ActivityEntry, timing: RequestTiming | undefined): void {
    const labels = {
      provider_slug: this.slug(entry.providerSlug),
      credential_source: entry.credentialSource ?? NONE,
      model: this.models.value(entry.servedModel ?? entry.requestedModel),
    };
    this.requests.inc({ ...labels, status: entry.status });
    this.countTokens(labels, entry);
    if (entry.costUsd !== null && entry.costUsd >= 0) this.cost.inc(labels, entry.costUsd);
    this.duration.observe(labels, entry.latencyMs / 1000);
    if (entry.stream && entry.ttfbMs !== null) this.ttfb.observe(labels, entry.ttfbMs / 1000);
    if (timing) {
      if (entry.attempts.some(called)) this.upstream.observe(labels, timing.upstreamMs / 1000);
      this.overhead.observe(labels, timing.gatewayMs / 1000);
    }
    for (const attempt of entry.attempts) this.countAttempt(attempt);
  }

  /** An integration went into cooldown. */
  recordCooldown(providerSlug: string): void {
    this.cooldowns.inc({ provider_slug: this.slug(providerSlug) });
  }

  /** Exposes the activity writer's buffer and counters, read at each scrape. */
  watchActivityWriter(writer: ActivityWriterStats): void {
    if (this.watchingWriter) return;
    this.watchingWriter = true;
    const registers = [this.registry];
    new Gauge({
      name: 'keyway_activity_buffer_depth',
      help: 'Activity records waiting to be written to the database.',
      registers,
      collect() {
        this.set(writer.bufferDepth());
      },
    });
    const total = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    total('keyway_activity_records_dropped_total', 'Activity records lost: buffer full, or the database unavailable at shutdown.', () => writer.dropped());
    total('keyway_activity_records_written_total', 'Activity records written to the database.', () => writer.written());
    total('keyway_activity_records_rejected_total', 'Activity records the database refused as data (not retried).', () => writer.rejected());
  }

  private countTokens(labels: Record<(typeof SERIES)[number], string>, entry: ActivityEntry): void {
    const byType: [string, number][] = [
      ['input', entry.inputTokens],
      ['output', entry.outputTokens],
      ['cached', entry.cachedTokens],
      ['cache_write', entry.cacheWriteTokens],
    ];
    for (const [type, count] of byType) if (count > 0) this.tokens.inc({ ...labels, type }, count);
  }

  private countAttempt(attempt: AttemptRecord): void {
    const labels = { provider_slug: this.slug(attempt.providerSlug), credential_source: attempt.credentialSource };
    // 499: the client went away mid-call; the provider did nothing wrong (the request counts as cancelled).
    if (attempt.outcome === 'failed' && attempt.status !== 499) this.upstreamErrors.inc({ ...labels, status_code: String(attempt.status ?? 0) });
    if (attempt.outcome !== 'skipped' || attempt.reason === undefined) return;
    if (attempt.reason === 'rate_limited') this.rejections.inc({ ...labels, reason: 'rate_limit' });
    else if (attempt.reason.startsWith('budget_exceeded')) this.rejections.inc({ ...labels, reason: 'budget' });
  }

  private slug(providerSlug: string | null): string {
    return providerSlug === null ? NONE : this.slugs.value(providerSlug);
  }
}

/** The attempt reached the provider (as opposed to being skipped). */
function called(attempt: AttemptRecord): boolean {
  return attempt.outcome !== 'skipped';
}
