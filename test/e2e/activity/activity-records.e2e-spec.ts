import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { MikroORM } from '@mikro-orm/postgresql';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import type { paths } from '../../support/api-schema';
import { FakeHandler, FakeProvider, openAiKeyEcho, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';
import { ANTHROPIC_MESSAGES, anthropicMessages, ConnectionWatch, OPENAI_CHAT, openAiChat, openAiError } from '../../support/fake-chat';
import { anthropicKey, openAiKey, randomText } from '../../support/integration-fixtures';
import { aTenant, eventually, type IntegrationSpec, type Tenant } from '../../support/proxy-tenant';
import { findInText, fragmentsOf, type Needles } from '../../support/secret-scan';
import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer } from '../../support/world';

/**
 * What the activity log shows for each kind of proxied request (DESIGN §7), sent through the real
 * proxy with the official SDKs and read back through the API (the listing filtered by the
 * `x-request-id` the caller chose, then the record with its attempts): a success whole and
 * streamed, a provider error, a failover, a cancelled stream, a platform-served request, a request
 * no route can serve, and the secrets (integration key, custom auth header) that must never reach a
 * record, in the API or in the `activity` table.
 *
 * One app for the suite, with an OpenAI platform credential; each scenario has an organization
 * (and fakes) of its own.
 */

jest.setTimeout(30_000);

const GPT = 'openai/gpt-4o-mini';
const CLAUDE = 'anthropic/claude-sonnet-4-6';
const PLATFORM_KEY = openAiKey();

type ActivityItem = paths['/api/projects/{projectId}/activity']['get']['responses'][200]['content']['application/json']['items'][number];
type ActivityDetail = paths['/api/activity/{activityId}']['get']['responses'][200]['content']['application/json'];
type Pricing = { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number; cacheWritePerMTok?: number };
/** Token counts as the record stores them: `input` is every prompt token, cached and cache-written ones included. */
type Tokens = { input: number; output: number; cached?: number; cacheWrite?: number };

/** The catalog's price formula, by hand: uncached input, cache reads and writes (at their own price when the catalog has one) and output, per 1M tokens. */
function costByHand(pricing: Pricing, tokens: Tokens): number {
  const cached = tokens.cached ?? 0;
  const cacheWrite = tokens.cacheWrite ?? 0;
  const uncached = tokens.input - cached - cacheWrite;
  return (
    (uncached * pricing.inputPerMTok +
      cached * (pricing.cachedInputPerMTok ?? pricing.inputPerMTok) +
      cacheWrite * (pricing.cacheWritePerMTok ?? pricing.inputPerMTok) +
      tokens.output * pricing.outputPerMTok) /
    1_000_000
  );
}

/** A request id the caller chooses (a plain token, kept by the gateway). */
const requestId = (label: string): string => `rec-${label}-${randomBytes(6).toString('hex')}`;

describe('activity records of proxied requests', () => {
  let t: TestApp;
  let platform: FakeProvider;
  const fakes: FakeProvider[] = [];

  beforeAll(async () => {
    platform = (await startFakeOpenAI({ apiKeys: [PLATFORM_KEY] })).route('POST', OPENAI_CHAT, openAiChat({ text: 'Hello from the platform', model: 'gpt-4o-mini-2024-07-18', usage: { input: 30, output: 7, cached: 10 } }));
    t = await startTestApp({
      LOG_LEVEL: 'warn',
      // Failures on purpose must not cool an integration down between requests of one scenario.
      KEYWAY_HEALTH_FAILURE_THRESHOLD: '1000',
      KEYWAY_PLATFORM_OPENAI_API_KEY: PLATFORM_KEY,
      KEYWAY_PLATFORM_OPENAI_BASE_URL: platform.baseUrl,
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([platform?.close(), ...fakes.map((f) => f.close())]);
  });

  async function fake(provider: 'openai' | 'anthropic', key: string, handler: FakeHandler): Promise<FakeProvider> {
    const started = provider === 'openai' ? await startFakeOpenAI({ apiKeys: [key] }) : await startFakeAnthropic({ apiKeys: [key] });
    fakes.push(started);
    return started.route('POST', provider === 'openai' ? OPENAI_CHAT : ANTHROPIC_MESSAGES, handler);
  }

  /** A tenant with one integration of `provider` on a fake answering with `handler`. */
  async function tenantWith(label: string, provider: 'openai' | 'anthropic', handler: FakeHandler, spec: Partial<IntegrationSpec> = {}) {
    const key = provider === 'openai' ? openAiKey() : anthropicKey();
    const upstream = await fake(provider, key, handler);
    const slug = `${provider}-${label}`;
    const tenant = await aTenant(t, label, [{ slug, provider, apiKey: key, host: upstream.baseUrl, ...spec }]);
    return { tenant, upstream, key, slug, integrationId: tenant.integrationIds[slug] };
  }

  async function pricingOf(slug: string, tenant: Tenant): Promise<Pricing> {
    const provider = slug.split('/')[0] as 'openai' | 'anthropic';
    const { data } = await t.api.GET('/api/catalog/models', { params: { query: { provider } }, ...bearer(tenant.owner.token) });
    const model = data?.models.find((m) => m.slug === slug);
    if (!model) throw new Error(`${slug} is not in the catalog`);
    return model.pricing as Pricing;
  }

  /** Flushes the writer until the request is listed under its request id; returns the listed item and the record (with attempts). */
  async function recordOf(tenant: Tenant, id: string, timeoutMs = 5_000): Promise<{ listed: ActivityItem; detail: ActivityDetail }> {
    let items: ActivityItem[] = [];
    await eventually(`the request ${id} is in the activity log`, async () => {
      await t.app.get(BatchingActivityWriter).flush();
      const { data, error } = await t.api.GET('/api/projects/{projectId}/activity', { params: { path: { projectId: tenant.projectId }, query: { requestId: id } }, ...bearer(tenant.owner.token) });
      if (!data) throw new Error(JSON.stringify(error));
      items = data.items;
      return items.length > 0;
    }, timeoutMs);
    expect(items).toHaveLength(1);
    const { data, error } = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: items[0].id } }, ...bearer(tenant.owner.token) });
    if (!data) throw new Error(JSON.stringify(error));
    // The record is the listed item plus the organization and the attempts.
    const { attempts, organizationId, ...rest } = data;
    expect(rest).toEqual(items[0]);
    expect(organizationId).toBe(tenant.owner.organizationId);
    expect(items[0].attemptCount).toBe(attempts.length);
    return { listed: items[0], detail: data };
  }

  /** What every record of a tenant's request carries whatever happened. */
  const common = (tenant: Tenant, id: string) => ({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    requestId: id,
    projectId: tenant.projectId,
    apiKeyId: tenant.keyId,
    organizationId: tenant.owner.organizationId,
    virtualModel: null,
    createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  });

  it('a successful OpenAI SDK request shows the integration that served it, the model it answered with, its tokens and its cost from the catalog price', async () => {
    const { tenant, slug, integrationId } = await tenantWith('success', 'openai', openAiChat({ text: 'Hi', model: 'gpt-4o-mini-2024-07-18', usage: { input: 12, output: 3, cached: 8 } }));
    const id = requestId('success');

    const { data, response } = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }).withResponse();
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(data.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 3 });

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(GPT, tenant);
    expect(detail).toEqual({
      ...common(tenant, id),
      integrationId,
      providerSlug: slug,
      provider: 'openai',
      credentialSource: 'byok',
      requestedModel: GPT,
      servedModel: 'gpt-4o-mini-2024-07-18',
      endpoint: '/v1/chat/completions',
      stream: false,
      status: 'success',
      httpStatus: 200,
      errorCode: null,
      errorMessage: null,
      inputTokens: 20,
      outputTokens: 3,
      cachedTokens: 8,
      cacheWriteTokens: 0,
      costUsd: expect.any(Number),
      latencyMs: expect.any(Number),
      ttfbMs: null,
      attemptCount: 1,
      attempts: [{ providerSlug: slug, credentialSource: 'byok', integrationId, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) }],
    });
    // 12 uncached × $0.15 + 8 cached × $0.075 + 3 output × $0.60, per 1M tokens.
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 20, output: 3, cached: 8 }), 12);
    expect(detail.costUsd).toBeCloseTo(0.0000042, 12);
    expect(detail.latencyMs).toBeGreaterThanOrEqual(0);
    expect(detail.attempts[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a streamed Anthropic SDK request shows stream true, the tokens of the final usage and a time to first byte within its latency', async () => {
    const { tenant, slug, integrationId } = await tenantWith('streamed', 'anthropic', anthropicMessages({ text: 'Hello there, streamed', model: 'claude-sonnet-4-6-20260101', usage: { input: 21, output: 13, cached: 5, cacheWrite: 4 } }));
    const id = requestId('streamed');

    const stream = tenant.anthropic.messages.stream({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } });
    const final = await stream.finalMessage();
    expect(final.usage).toMatchObject({ input_tokens: 21, output_tokens: 13, cache_read_input_tokens: 5, cache_creation_input_tokens: 4 });

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(CLAUDE, tenant);
    expect(detail).toEqual({
      ...common(tenant, id),
      integrationId,
      providerSlug: slug,
      provider: 'anthropic',
      credentialSource: 'byok',
      requestedModel: CLAUDE,
      servedModel: 'claude-sonnet-4-6-20260101',
      endpoint: '/v1/messages',
      stream: true,
      status: 'success',
      httpStatus: 200,
      errorCode: null,
      errorMessage: null,
      // Every prompt token: 21 uncached + 5 read from the cache + 4 written to it.
      inputTokens: 30,
      outputTokens: 13,
      cachedTokens: 5,
      cacheWriteTokens: 4,
      costUsd: expect.any(Number),
      latencyMs: expect.any(Number),
      ttfbMs: expect.any(Number),
      attemptCount: 1,
      attempts: [{ providerSlug: slug, credentialSource: 'byok', integrationId, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) }],
    });
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 30, output: 13, cached: 5, cacheWrite: 4 }), 12);
    expect(detail.ttfbMs!).toBeGreaterThanOrEqual(0);
    expect(detail.ttfbMs!).toBeLessThanOrEqual(detail.latencyMs);
  });

  it('a streamed OpenAI SDK request served by an Anthropic integration records every prompt token of the Anthropic usage', async () => {
    const { tenant, slug, integrationId } = await tenantWith('streamed-cross', 'anthropic', anthropicMessages({ text: 'Hello there', model: 'claude-sonnet-4-6-20260101', usage: { input: 21, output: 13, cached: 5, cacheWrite: 4 } }));
    const id = requestId('streamed-cross');

    const stream = await tenant.openai.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }, { headers: { 'x-request-id': id } });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 13 });

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(CLAUDE, tenant);
    expect(detail).toMatchObject({ integrationId, providerSlug: slug, endpoint: '/v1/chat/completions', stream: true, status: 'success', servedModel: 'claude-sonnet-4-6-20260101', inputTokens: 30, outputTokens: 13, cachedTokens: 5, cacheWriteTokens: 4 });
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 30, output: 13, cached: 5, cacheWrite: 4 }), 12);
    expect(detail.ttfbMs).not.toBeNull();
    expect(detail.ttfbMs!).toBeLessThanOrEqual(detail.latencyMs);
  });

  it('a streamed OpenAI SDK request records the usage chunk the gateway asked for, though the caller did not ask for it', async () => {
    const { tenant, slug, integrationId } = await tenantWith('streamed-openai', 'openai', openAiChat({ text: 'Hello there', usage: { input: 40, output: 9, cached: 32 } }));
    const id = requestId('streamed-openai');

    const stream = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'x-request-id': id } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello there');

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(GPT, tenant);
    expect(detail).toMatchObject({ integrationId, providerSlug: slug, stream: true, status: 'success', httpStatus: 200, servedModel: 'gpt-4o-mini', inputTokens: 72, outputTokens: 9, cachedTokens: 32 });
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 72, output: 9, cached: 32 }), 12);
    expect(detail.ttfbMs).not.toBeNull();
    expect(detail.ttfbMs!).toBeLessThanOrEqual(detail.latencyMs);
  });

  it('a provider error shows the status and code the caller got, the provider’s message with the integration key redacted, the integration that failed, and no cost', async () => {
    const key = openAiKey();
    const upstream = await fake(
      'openai',
      key,
      openAiError(400, { message: `Invalid 'messages[0].content' for the request made with key ${key} (${openAiKeyEcho(key)}).`, type: 'invalid_request_error', param: 'messages', code: 'invalid_value' }),
    );
    const tenant = await aTenant(t, 'provider-error', [{ slug: 'openai-strict', provider: 'openai', apiKey: key, host: upstream.baseUrl }]);
    const integrationId = tenant.integrationIds['openai-strict'];
    const id = requestId('provider-error');

    const platformBefore = platform.requests.length;

    const failure = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(upstream.requestsTo(OPENAI_CHAT)).toHaveLength(1);
    // Not retryable: not sent to the platform credential either.
    expect(platform.requests).toHaveLength(platformBefore);

    const { detail } = await recordOf(tenant, id);
    expect(detail).toEqual({
      ...common(tenant, id),
      integrationId,
      providerSlug: 'openai-strict',
      provider: 'openai',
      credentialSource: 'byok',
      requestedModel: GPT,
      servedModel: null,
      endpoint: '/v1/chat/completions',
      stream: false,
      status: 'error',
      httpStatus: 400,
      errorCode: 'invalid_request',
      errorMessage: expect.stringMatching(/^Invalid 'messages\[0\]\.content' for the request made with key \[REDACTED\]/),
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      costUsd: null,
      latencyMs: expect.any(Number),
      ttfbMs: null,
      attemptCount: 1,
      attempts: [{ providerSlug: 'openai-strict', credentialSource: 'byok', integrationId, outcome: 'failed', reason: expect.stringMatching(/^Invalid 'messages\[0\]\.content'/), status: 400, latencyMs: expect.any(Number) }],
    });
    const needles: Needles = { key, echo: openAiKeyEcho(key), ...fragmentsOf('key', key.replace(/^sk-proj-/, ''), 8) };
    expect(findInText(JSON.stringify(detail), needles, 'record')).toEqual([]);
  });

  it('a request that failed over lists both attempts in order: the first integration failed with its status and reason, the second served it', async () => {
    const key = openAiKey();
    const [broken, working] = await Promise.all([
      fake('openai', key, openAiError(500, { message: 'The server had an error while processing your request.' })),
      fake('openai', key, openAiChat({ text: 'Hello from the second', usage: { input: 11, output: 5 } })),
    ]);
    const tenant = await aTenant(t, 'failover', [
      { slug: 'openai-first', provider: 'openai', apiKey: key, host: broken.baseUrl },
      { slug: 'openai-second', provider: 'openai', apiKey: key, host: working.baseUrl },
    ]);
    const [firstId, secondId] = [tenant.integrationIds['openai-first'], tenant.integrationIds['openai-second']];
    // A fallback config pins the order (weighted random otherwise) and moves on after a 500.
    const { error } = await t.api.POST('/api/projects/{projectId}/gateway-configs', {
      params: { path: { projectId: tenant.projectId } },
      body: {
        name: 'ordered',
        strategy: 'fallback',
        targets: [
          { providerSlug: 'openai-first', model: 'gpt-4o-mini' },
          { providerSlug: 'openai-second', model: 'gpt-4o-mini' },
        ],
        retry: { attempts: 2, onStatus: [500] },
        timeoutMs: 10_000,
      } as never,
      ...bearer(tenant.owner.token),
    });
    expect(error).toBeUndefined();
    const id = requestId('failover');

    const { data, response } = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id, 'x-keyway-config': 'ordered' } }).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the second');
    expect(response.headers.get('x-keyway-provider-slug')).toBe('openai-second');
    expect(broken.requestsTo(OPENAI_CHAT)).toHaveLength(1);

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(GPT, tenant);
    expect(detail).toMatchObject({
      integrationId: secondId,
      providerSlug: 'openai-second',
      provider: 'openai',
      credentialSource: 'byok',
      status: 'success',
      httpStatus: 200,
      errorCode: null,
      errorMessage: null,
      inputTokens: 11,
      outputTokens: 5,
      attemptCount: 2,
    });
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 11, output: 5 }), 12);
    expect(detail.attempts).toEqual([
      { providerSlug: 'openai-first', credentialSource: 'byok', integrationId: firstId, outcome: 'failed', reason: 'The server had an error while processing your request.', status: 500, latencyMs: expect.any(Number) },
      { providerSlug: 'openai-second', credentialSource: 'byok', integrationId: secondId, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) },
    ]);
  });

  it('a request its only integration could not serve (429) lists the integration’s failure, then the platform credential that served it', async () => {
    const { tenant, slug, integrationId, upstream } = await tenantWith(
      'to-platform',
      'openai',
      openAiError(429, { message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.', type: 'requests', code: 'rate_limit_exceeded' }, { retryAfter: 20 }),
    );
    const id = requestId('to-platform');

    const { response } = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }).withResponse();
    expect(response.headers.get('x-keyway-credential-source')).toBe('platform');
    expect(upstream.requestsTo(OPENAI_CHAT)).toHaveLength(1);

    const { detail } = await recordOf(tenant, id);
    expect(detail).toMatchObject({ integrationId: null, providerSlug: 'platform:openai', provider: 'openai', credentialSource: 'platform', status: 'success', httpStatus: 200, servedModel: 'gpt-4o-mini-2024-07-18' });
    expect(detail.attempts).toEqual([
      { providerSlug: slug, credentialSource: 'byok', integrationId, outcome: 'failed', reason: expect.stringContaining('Rate limit reached for gpt-4o-mini'), status: 429, latencyMs: expect.any(Number) },
      { providerSlug: 'platform:openai', credentialSource: 'platform', integrationId: null, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) },
    ]);
  });

  describe('a stream the caller abandons', () => {
    it.each([
      ['hangs after its first chunk', 'hang'],
      ['keeps streaming slowly', 'slow'],
    ] as const)('when the provider %s, the record of an aborted OpenAI SDK stream is cancelled and names the integration', async (_what, mode) => {
      const watch = new ConnectionWatch();
      const handler = mode === 'hang' ? openAiChat({ chunks: ['Hello', ' there'], hangAfter: 2, watch }) : slowOpenAiStream(watch, 100);
      const { tenant, slug, integrationId } = await tenantWith(`cancelled-${mode}`, 'openai', handler);
      const id = requestId(`cancelled-${mode}`);
      const giveUp = new AbortController();

      const stream = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'x-request-id': id }, signal: giveUp.signal });
      let text = '';
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (text) break;
      }
      giveUp.abort();
      expect(text).toBe('Hello');
      expect(await watch.waitForClose(5_000)).toBe(true);

      const { detail } = await recordOf(tenant, id);
      expect(detail).toMatchObject({
        integrationId,
        providerSlug: slug,
        provider: 'openai',
        credentialSource: 'byok',
        requestedModel: GPT,
        stream: true,
        status: 'cancelled',
        httpStatus: 499,
      });
      expect(detail.attempts).toEqual([{ providerSlug: slug, credentialSource: 'byok', integrationId, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) }]);
    });

    it('the record of an Anthropic SDK stream the caller stops reading and then abandons is cancelled, not a success', async () => {
      // The provider sends far more than the sockets buffer: the gateway waits on the caller (backpressure) when it leaves.
      const watch = new ConnectionWatch();
      const big = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(4, '0')} ${'x'.repeat(16_000)}`);
      const { tenant, slug, integrationId } = await tenantWith('abandoned', 'anthropic', anthropicMessages({ text: big.join(''), chunks: big, watch }));
      const id = requestId('abandoned');
      const giveUp = new AbortController();

      const stream = await tenant.anthropic.messages.create({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'x-request-id': id }, signal: giveUp.signal });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value).toMatchObject({ type: 'message_start' });
      // Stop reading long enough for the gateway's writes to back up, then go away.
      await new Promise((done) => setTimeout(done, 500));
      giveUp.abort();
      await iterator.return?.().catch(() => undefined);
      expect(await watch.waitForClose(5_000)).toBe(true);

      const { detail } = await recordOf(tenant, id);
      expect(detail).toMatchObject({ integrationId, providerSlug: slug, stream: true, status: 'cancelled', httpStatus: 499 });
    });
  });

  it('a request served by the platform credential shows platform:openai, no integration, and its cost from the catalog price', async () => {
    const tenant = await aTenant(t, 'platform-served');
    const id = requestId('platform');

    const { data, response } = await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the platform');
    expect(response.headers.get('x-keyway-credential-source')).toBe('platform');

    const { detail } = await recordOf(tenant, id);
    const pricing = await pricingOf(GPT, tenant);
    expect(detail).toEqual({
      ...common(tenant, id),
      integrationId: null,
      providerSlug: 'platform:openai',
      provider: 'openai',
      credentialSource: 'platform',
      requestedModel: GPT,
      servedModel: 'gpt-4o-mini-2024-07-18',
      endpoint: '/v1/chat/completions',
      stream: false,
      status: 'success',
      httpStatus: 200,
      errorCode: null,
      errorMessage: null,
      inputTokens: 40,
      outputTokens: 7,
      cachedTokens: 10,
      cacheWriteTokens: 0,
      costUsd: expect.any(Number),
      latencyMs: expect.any(Number),
      ttfbMs: null,
      attemptCount: 1,
      attempts: [{ providerSlug: 'platform:openai', credentialSource: 'platform', integrationId: null, outcome: 'ok', reason: null, status: 200, latencyMs: expect.any(Number) }],
    });
    // 30 uncached × $0.15 + 10 cached × $0.075 + 7 output × $0.60, per 1M tokens.
    expect(detail.costUsd).toBeCloseTo(costByHand(pricing, { input: 40, output: 7, cached: 10 }), 12);
    expect(detail.costUsd).toBeCloseTo(0.00000945, 12);
  });

  it('a request no integration or platform credential can serve is recorded as a 404 no-route error with no attempts', async () => {
    // The platform credential of this suite is for OpenAI only.
    const tenant = await aTenant(t, 'no-route');
    const id = requestId('no-route');

    const failure = await tenant.anthropic.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);

    const { detail } = await recordOf(tenant, id);
    expect(detail).toEqual({
      ...common(tenant, id),
      integrationId: null,
      providerSlug: null,
      provider: null,
      credentialSource: null,
      requestedModel: CLAUDE,
      servedModel: null,
      endpoint: '/v1/messages',
      stream: false,
      status: 'error',
      httpStatus: 404,
      errorCode: 'no-route',
      errorMessage: `No integration can serve model "${CLAUDE}": no integration of its provider is in scope of this project.`,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      costUsd: null,
      latencyMs: expect.any(Number),
      ttfbMs: null,
      attemptCount: 0,
      attempts: [],
    });
  });

  it('neither the integration key nor its custom auth header value reaches an activity record, in the API or in the activity table, after successes and errors', async () => {
    const key = openAiKey();
    const orgHeader = `hdr-${randomText(32)}`;
    let failNext = false;
    const answer = openAiChat({ text: 'fine' });
    const upstream = await fake('openai', key, (req, res) => {
      if (req.headers['x-org-key'] !== orgHeader) return { status: 403, body: { error: { message: 'missing X-Org-Key', type: 'invalid_request_error', param: null, code: null } } };
      if (!failNext) return answer(req, res);
      // A provider that echoes what it was sent: the key, its masked form and the custom header.
      return {
        status: 400,
        body: { error: { message: `Organization header X-Org-Key: ${orgHeader} does not belong to the key ${key} (${openAiKeyEcho(key)}); Authorization: Bearer ${key}`, type: 'invalid_request_error', param: null, code: 'org_mismatch' } },
      };
    });
    const tenant = await aTenant(t, 'secrets');
    const { data: created, error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
      params: { path: { orgId: tenant.owner.organizationId } },
      body: { name: 'openai-headers', providerSlug: 'openai-headers', provider: 'openai', credential: { apiKey: key }, customHost: upstream.baseUrl, customAuthHeaders: { 'X-Org-Key': orgHeader } },
      ...bearer(tenant.owner.token),
    });
    expect(error).toBeUndefined();
    const ids = { ok: requestId('secret-ok'), okStream: requestId('secret-ok-stream'), failed: requestId('secret-failed'), failedStream: requestId('secret-failed-stream') };

    await tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': ids.ok } });
    const okStream = tenant.anthropic.messages.stream({ model: GPT, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': ids.okStream } });
    await okStream.finalMessage();
    failNext = true;
    await expect(tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': ids.failed } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(tenant.anthropic.messages.create({ model: GPT, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'x-request-id': ids.failedStream } })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    // The provider did see the header and did echo the secrets.
    expect(upstream.requestsTo(OPENAI_CHAT).map((r) => r.headers['x-org-key'])).toEqual(Array(4).fill(orgHeader));

    const records = await Promise.all(Object.values(ids).map((id) => recordOf(tenant, id)));
    expect(records.map((r) => [r.detail.status, r.detail.integrationId])).toEqual([
      ['success', created!.id],
      ['success', created!.id],
      ['error', created!.id],
      ['error', created!.id],
    ]);
    expect(records[2].detail.errorMessage).toMatch(/^Organization header X-Org-Key: \[REDACTED\] does not belong to the key \[REDACTED\]/);
    expect(records[2].detail.attempts[0].reason).toMatch(/\[REDACTED\]/);

    const needles: Needles = {
      key,
      'masked key': openAiKeyEcho(key),
      'X-Org-Key value': orgHeader,
      ...fragmentsOf('key', key.replace(/^sk-proj-/, ''), 8),
      ...fragmentsOf('X-Org-Key value', orgHeader.replace(/^hdr-/, ''), 8),
    };
    const listing = await t.api.GET('/api/projects/{projectId}/activity', { params: { path: { projectId: tenant.projectId } }, ...bearer(tenant.owner.token) });
    expect(listing.data!.items).toHaveLength(4);
    expect(findInText(JSON.stringify(listing.data), needles, 'listing')).toEqual([]);
    expect(findInText(JSON.stringify(records.map((r) => r.detail)), needles, 'records')).toEqual([]);

    const rows = (await t.app.get(MikroORM).em.fork().getConnection().execute('select * from activity where project_id = ?', [tenant.projectId])) as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    expect(rows.some((row) => String(row.error_message).includes('[REDACTED]'))).toBe(true);
    expect(findInText(JSON.stringify(rows), needles, 'activity table')).toEqual([]);
  });
});

/** An OpenAI stream that sends a chunk every `everyMs` until the connection closes; the first content chunk is `Hello`. */
function slowOpenAiStream(watch: ConnectionWatch, everyMs: number): FakeHandler {
  return async (req, res: ServerResponse) => {
    const body = JSON.parse(req.body) as { model: string };
    watch.attach(res);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    res.write(chunk({ content: 'Hello' }));
    for (let i = 0; i < 300 && !watch.closed; i++) {
      await new Promise((done) => setTimeout(done, everyMs));
      if (!watch.closed) res.write(chunk({ content: ' more' }));
    }
    if (!watch.closed) res.end();
    return undefined;
  };
}
