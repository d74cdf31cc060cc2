import { Registry } from 'prom-client';
import { anActivityEntry } from '../../../activity/testing/an-activity-entry';
import type { ActivityEntry, ActivitySink, AttemptRecord, RequestTiming } from '../../application/ports/activity-sink.port';
import { GatewayMetrics, MAX_MODELS } from './gateway-metrics';
import { MeteredActivitySink, meteredActivitySink } from './metered-activity-sink';

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

class RecordingSink implements ActivitySink {
  readonly received: [ActivityEntry, RequestTiming | undefined][] = [];
  record(entry: ActivityEntry, timing?: RequestTiming): void {
    this.received.push([entry, timing]);
  }
}

const BYOK = { provider_slug: 'openai-main', credential_source: 'byok', model: 'gpt-4o-mini-2024-07-18' };
const ok = (slug: string, source: 'byok' | 'platform' = 'byok'): AttemptRecord => ({ providerSlug: slug, credentialSource: source, integrationId: null, outcome: 'ok', status: 200, latencyMs: 100 });
const failed = (slug: string, status: number): AttemptRecord => ({ providerSlug: slug, credentialSource: 'byok', integrationId: 'i-1', outcome: 'failed', reason: `HTTP ${status}: boom`, status, latencyMs: 50 });
const skipped = (slug: string, reason: string): AttemptRecord => ({ providerSlug: slug, credentialSource: 'byok', integrationId: 'i-2', outcome: 'skipped', reason });

describe('MeteredActivitySink', () => {
  let registry: Registry;
  let inner: RecordingSink;
  let sink: MeteredActivitySink;
  const warnings: string[] = [];

  beforeEach(() => {
    registry = new Registry();
    inner = new RecordingSink();
    warnings.length = 0;
    sink = new MeteredActivitySink(inner, GatewayMetrics.of(registry), { warn: (m) => warnings.push(m) });
  });

  async function samples(name: string): Promise<Sample[]> {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    return (metric?.values ?? []) as Sample[];
  }

  async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
    const found = (await samples(name)).find((s) => !s.metricName && Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v));
    return found?.value;
  }

  async function histogramCount(name: string, labels: Record<string, string>): Promise<number | undefined> {
    const found = (await samples(name)).find((s) => s.metricName === `${name}_count` && Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v));
    return found?.value;
  }

  it('a successful BYOK request counts the request, its tokens, its cost and its timings under the integration slug and served model', async () => {
    const entry = anActivityEntry({ inputTokens: 12, outputTokens: 34, cachedTokens: 5, cacheWriteTokens: 0, costUsd: 0.25, latencyMs: 420 });
    sink.record(entry, { upstreamMs: 400, gatewayMs: 1.5 });

    expect(await value('keyway_requests_total', { ...BYOK, status: 'success' })).toBe(1);
    expect(await value('keyway_tokens_total', { ...BYOK, type: 'input' })).toBe(12);
    expect(await value('keyway_tokens_total', { ...BYOK, type: 'output' })).toBe(34);
    expect(await value('keyway_tokens_total', { ...BYOK, type: 'cached' })).toBe(5);
    expect(await value('keyway_tokens_total', { ...BYOK, type: 'cache_write' })).toBeUndefined();
    expect(await value('keyway_cost_usd_total', BYOK)).toBeCloseTo(0.25);
    expect(await histogramCount('keyway_request_duration_seconds', BYOK)).toBe(1);
    expect(await histogramCount('keyway_upstream_duration_seconds', BYOK)).toBe(1);
    expect(await histogramCount('keyway_gateway_overhead_seconds', BYOK)).toBe(1);
    const overheadSum = (await samples('keyway_gateway_overhead_seconds')).find((s) => s.metricName === 'keyway_gateway_overhead_seconds_sum');
    expect(overheadSum?.value).toBeCloseTo(0.0015);
    expect(await samples('keyway_upstream_errors_total')).toEqual([]);
    expect(inner.received).toEqual([[entry, { upstreamMs: 400, gatewayMs: 1.5 }]]);
  });

  it('a platform-served request is labelled credential_source="platform" and the platform slug', async () => {
    sink.record(
      anActivityEntry({ integrationId: null, providerSlug: 'platform:openai', credentialSource: 'platform', servedModel: 'gpt-4o', attempts: [ok('platform:openai', 'platform')] }),
      { upstreamMs: 10, gatewayMs: 1 },
    );
    expect(await value('keyway_requests_total', { provider_slug: 'platform:openai', credential_source: 'platform', model: 'gpt-4o', status: 'success' })).toBe(1);
    expect(await value('keyway_requests_total', { credential_source: 'byok' })).toBeUndefined();
  });

  it('each failed attempt counts as an upstream error of its provider slug and status', async () => {
    sink.record(
      anActivityEntry({ providerSlug: 'openai-backup', attempts: [failed('openai-main', 500), failed('openai-main', 429), ok('openai-backup')] }),
      { upstreamMs: 30, gatewayMs: 1 },
    );
    expect(await value('keyway_upstream_errors_total', { provider_slug: 'openai-main', credential_source: 'byok', status_code: '500' })).toBe(1);
    expect(await value('keyway_upstream_errors_total', { provider_slug: 'openai-main', credential_source: 'byok', status_code: '429' })).toBe(1);
    expect(await value('keyway_upstream_errors_total', { provider_slug: 'openai-backup' })).toBeUndefined();
  });

  it('a request that failed everywhere counts as an error', async () => {
    sink.record(anActivityEntry({ status: 'error', httpStatus: 502, servedModel: null, costUsd: null, inputTokens: 0, outputTokens: 0, attempts: [failed('openai-main', 502)] }));
    expect(await value('keyway_requests_total', { provider_slug: 'openai-main', model: 'openai/gpt-4o-mini', status: 'error' })).toBe(1);
    expect(await samples('keyway_cost_usd_total')).toEqual([]);
    expect(await samples('keyway_tokens_total')).toEqual([]);
  });

  it('a client that went away mid-call (499) is not an upstream error', async () => {
    sink.record(anActivityEntry({ status: 'cancelled', attempts: [failed('openai-main', 499)] }));
    expect(await samples('keyway_upstream_errors_total')).toEqual([]);
    expect(await value('keyway_requests_total', { status: 'cancelled' })).toBe(1);
  });

  it('an integration skipped at its RPM limit counts as a rate-limit rejection', async () => {
    sink.record(anActivityEntry({ attempts: [skipped('openai-limited', 'rate_limited'), skipped('openai-cool', 'cooling down'), ok('openai-main')] }));
    expect(await value('keyway_rejections_total', { provider_slug: 'openai-limited', credential_source: 'byok', reason: 'rate_limit' })).toBe(1);
    expect((await samples('keyway_rejections_total')).length).toBe(1);
  });

  it('an integration skipped for an exhausted budget counts as a budget rejection', async () => {
    sink.record(anActivityEntry({ attempts: [skipped('openai-capped', 'budget_exceeded'), skipped('openai-daily', 'budget_exceeded: daily limit of $5 reached'), ok('openai-main')] }));
    expect(await value('keyway_rejections_total', { provider_slug: 'openai-capped', reason: 'budget' })).toBe(1);
    expect(await value('keyway_rejections_total', { provider_slug: 'openai-daily', reason: 'budget' })).toBe(1);
  });

  it('a request never routed is labelled provider_slug="none", credential_source="none", and has no upstream time', async () => {
    sink.record(
      anActivityEntry({ integrationId: null, providerSlug: null, provider: null, credentialSource: null, servedModel: null, requestedModel: 'no-such-model', status: 'error', attempts: [], costUsd: null }),
      { upstreamMs: 0, gatewayMs: 2 },
    );
    const labels = { provider_slug: 'none', credential_source: 'none', model: 'no-such-model' };
    expect(await value('keyway_requests_total', { ...labels, status: 'error' })).toBe(1);
    expect(await histogramCount('keyway_gateway_overhead_seconds', labels)).toBe(1);
    expect(await histogramCount('keyway_upstream_duration_seconds', labels)).toBeUndefined();
  });

  it('a stream observes its time to first byte', async () => {
    sink.record(anActivityEntry({ stream: true, ttfbMs: 250 }));
    expect(await histogramCount('keyway_time_to_first_byte_seconds', BYOK)).toBe(1);
  });

  it('keeps the model label bounded: past the bound, new models count as other', async () => {
    for (let i = 0; i < MAX_MODELS + 20; i++) sink.record(anActivityEntry({ servedModel: `model-${i}`, attempts: [] }));
    const models = new Set((await samples('keyway_requests_total')).map((s) => s.labels.model));
    expect(models.size).toBe(MAX_MODELS + 1);
    expect(await value('keyway_requests_total', { model: 'other' })).toBe(20);
  });

  it('still forwards the entry when counting fails, and warns once', () => {
    const broken = { recordRequest: () => { throw new Error('registry exploded'); } } as unknown as GatewayMetrics;
    const failing = new MeteredActivitySink(inner, broken, { warn: (m) => warnings.push(m) });
    failing.record(anActivityEntry());
    failing.record(anActivityEntry());
    expect(inner.received).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('registry exploded');
  });

  it('exposes the activity writer buffer and counters as read at scrape time', async () => {
    const stats = { depth: 3, dropped: 1, written: 40, rejected: 2 };
    const writer = Object.assign(new RecordingSink(), {
      bufferDepth: () => stats.depth,
      dropped: () => stats.dropped,
      written: () => stats.written,
      rejected: () => stats.rejected,
    });
    const other = new Registry();
    meteredActivitySink(writer, other, { warn: () => undefined });
    const text = await other.metrics();
    expect(text).toContain('keyway_activity_buffer_depth 3');
    expect(text).toContain('keyway_activity_records_dropped_total 1');
    expect(text).toContain('keyway_activity_records_written_total 40');
    expect(text).toContain('keyway_activity_records_rejected_total 2');
    stats.written = 45;
    stats.depth = 0;
    const later = await other.metrics();
    expect(later).toContain('keyway_activity_records_written_total 45');
    expect(later).toContain('keyway_activity_buffer_depth 0');
  });
});
