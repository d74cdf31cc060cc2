import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { OPENAI_CHAT, openAiChat, openAiError } from '../../support/fake-chat';
import { FakeProvider, startFakeOpenAI } from '../../support/fake-providers';
import { openAiKey } from '../../support/integration-fixtures';
import { aTenant, closedPort, eventually, Tenant } from '../../support/proxy-tenant';
import { startTestApp, TestApp } from '../../support/test-app';

/**
 * Prometheus metrics: `GET /metrics` answers only with the operator's token (404 when none is
 * configured), or without one on the internal METRICS_PORT. Requests are split by provider slug,
 * credential source (byok / platform) and model, and the scrape never holds a secret.
 */

jest.setTimeout(30_000);

const METRICS_TOKEN = `mt-${randomBytes(24).toString('hex')}`;
const PLATFORM_KEY = openAiKey();
const GPT = 'openai/gpt-4o-mini';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses the Prometheus text format (enough of it for these assertions). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string>): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function total(samples: Sample[], name: string, labels: Record<string, string>): number {
  return find(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}

describe('metrics', () => {
  let t: TestApp;
  let metricsPort: number;
  let platform: FakeProvider;
  const fakes: FakeProvider[] = [];
  const integrationKeys: string[] = [];
  let byok: Tenant;
  let platformOnly: Tenant;
  let shaky: Tenant;
  let limited: Tenant;

  async function fakeOpenAI(handler = openAiChat()): Promise<{ fake: FakeProvider; key: string }> {
    const key = openAiKey();
    integrationKeys.push(key);
    const fake = (await startFakeOpenAI({ apiKeys: [key] })).route('POST', OPENAI_CHAT, handler);
    fakes.push(fake);
    return { fake, key };
  }

  const scrape = (headers: Record<string, string> = {}) => fetch(`${t.baseUrl}/metrics`, { headers });
  const scrapeSamples = async () => parse(await (await scrape({ authorization: `Bearer ${METRICS_TOKEN}` })).text());
  const ask = (tenant: Tenant) => tenant.openai.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

  beforeAll(async () => {
    platform = (await startFakeOpenAI({ apiKeys: [PLATFORM_KEY] })).route('POST', OPENAI_CHAT, openAiChat({ text: 'Hello from the platform', usage: { input: 7, output: 3 } }));
    metricsPort = await closedPort();
    t = await startTestApp({
      PORT: '0',
      KEYWAY_METRICS_TOKEN: METRICS_TOKEN,
      METRICS_PORT: String(metricsPort),
      KEYWAY_HEALTH_FAILURE_THRESHOLD: '1',
      KEYWAY_PLATFORM_OPENAI_API_KEY: PLATFORM_KEY,
      KEYWAY_PLATFORM_OPENAI_BASE_URL: platform.baseUrl,
    });
    const ok = await fakeOpenAI(openAiChat({ usage: { input: 12, output: 5, cached: 4 } }));
    const failing = await fakeOpenAI(openAiError(500, { message: 'The server had an error while processing your request.' }));
    const capped = await fakeOpenAI();
    byok = await aTenant(t, 'metrics-byok', [{ slug: 'metrics-openai', provider: 'openai', apiKey: ok.key, host: ok.fake.baseUrl }]);
    platformOnly = await aTenant(t, 'metrics-platform');
    shaky = await aTenant(t, 'metrics-shaky', [{ slug: 'metrics-shaky', provider: 'openai', apiKey: failing.key, host: failing.fake.baseUrl, alwaysUse: true }]);
    limited = await aTenant(t, 'metrics-limited', [{ slug: 'metrics-limited', provider: 'openai', apiKey: capped.key, host: capped.fake.baseUrl, rpmLimit: 1 }]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([platform?.close(), ...fakes.map((f) => f.close())]);
  });

  describe('access on the main port', () => {
    it('without a token /metrics answers 401 problem+json', async () => {
      const res = await scrape();
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 401, type: 'urn:keyway:problem:unauthenticated' });
    });

    it.each([
      ['a wrong token', `Bearer ${METRICS_TOKEN.slice(0, -1)}x`],
      ['the token with another scheme', `Basic ${METRICS_TOKEN}`],
      ['a user JWT-looking token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ])('with %s /metrics answers 401', async (_what, authorization) => {
      const res = await scrape({ authorization });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(METRICS_TOKEN);
    });

    it('with the token /metrics answers 200 in the Prometheus text format, with the process metrics', async () => {
      const res = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('# TYPE keyway_requests_total counter');
      expect(text).toContain('# TYPE keyway_gateway_overhead_seconds histogram');
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      expect(() => parse(text)).not.toThrow();
    });
  });

  describe('series', () => {
    let samples: Sample[];

    beforeAll(async () => {
      const byokAnswer = await ask(byok);
      expect(byokAnswer.response.headers.get('x-keyway-credential-source')).toBe('byok');
      const platformAnswer = await ask(platformOnly);
      expect(platformAnswer.response.headers.get('x-keyway-credential-source')).toBe('platform');
      await expect(ask(shaky)).rejects.toBeInstanceOf(OpenAI.InternalServerError);
      // rpmLimit 1: the second request skips the integration and falls back to the platform key.
      await ask(limited);
      expect((await ask(limited)).response.headers.get('x-keyway-credential-source')).toBe('platform');
      await eventually('the cooldown of metrics-shaky is counted', async () => total(await scrapeSamples(), 'keyway_cooldowns_total', { provider_slug: 'metrics-shaky' }) === 1);
      samples = await scrapeSamples();
    });

    it('a BYOK request is counted under its integration slug, credential_source="byok" and the served model, with its tokens and cost', () => {
      const labels = { provider_slug: 'metrics-openai', credential_source: 'byok', model: 'gpt-4o-mini' };
      expect(find(samples, 'keyway_requests_total', { ...labels, status: 'success' })).toEqual([expect.objectContaining({ value: 1 })]);
      // input counts every prompt token; cached is the part of it read from the cache.
      expect(total(samples, 'keyway_tokens_total', { ...labels, type: 'input' })).toBe(16);
      expect(total(samples, 'keyway_tokens_total', { ...labels, type: 'output' })).toBe(5);
      expect(total(samples, 'keyway_tokens_total', { ...labels, type: 'cached' })).toBe(4);
      expect(total(samples, 'keyway_cost_usd_total', labels)).toBeGreaterThan(0);
      expect(total(samples, 'keyway_gateway_overhead_seconds_count', labels)).toBe(1);
      expect(total(samples, 'keyway_upstream_duration_seconds_count', labels)).toBe(1);
      expect(total(samples, 'keyway_request_duration_seconds_count', labels)).toBe(1);
    });

    it('a platform-served request is counted under platform:openai and credential_source="platform"', () => {
      const labels = { provider_slug: 'platform:openai', credential_source: 'platform', model: 'gpt-4o-mini' };
      // metrics-platform once, metrics-limited once over its RPM limit.
      expect(total(samples, 'keyway_requests_total', { ...labels, status: 'success' })).toBe(2);
      expect(total(samples, 'keyway_tokens_total', { ...labels, type: 'input' })).toBe(14);
      expect(total(samples, 'keyway_cost_usd_total', labels)).toBeGreaterThan(0);
      expect(total(samples, 'keyway_gateway_overhead_seconds_count', labels)).toBe(2);
    });

    it('an upstream 500 shows as an upstream error of its slug, the request as an error, and the cooldown it started', () => {
      expect(total(samples, 'keyway_upstream_errors_total', { provider_slug: 'metrics-shaky', credential_source: 'byok', status_code: '500' })).toBe(1);
      expect(total(samples, 'keyway_requests_total', { provider_slug: 'metrics-shaky', credential_source: 'byok', status: 'error' })).toBe(1);
      expect(total(samples, 'keyway_cooldowns_total', { provider_slug: 'metrics-shaky' })).toBe(1);
    });

    it('an integration at its RPM limit shows as a rate-limit rejection', () => {
      expect(total(samples, 'keyway_rejections_total', { provider_slug: 'metrics-limited', credential_source: 'byok', reason: 'rate_limit' })).toBe(1);
    });

    it('the activity writer reports its buffer depth and counters', async () => {
      expect(find(samples, 'keyway_activity_buffer_depth', {})).toHaveLength(1);
      await eventually('the activity records are written', async () => total(await scrapeSamples(), 'keyway_activity_records_written_total', {}) >= 5);
      expect(total(samples, 'keyway_activity_records_dropped_total', {})).toBe(0);
    });

    it('the scrape holds no secret: provider keys, the platform key, gateway keys, the metrics token', async () => {
      const text = await (await scrape({ authorization: `Bearer ${METRICS_TOKEN}` })).text();
      const secrets = [...integrationKeys, PLATFORM_KEY, METRICS_TOKEN, byok.key, platformOnly.key, shaky.key, limited.key];
      expect(secrets.filter((s) => text.includes(s))).toEqual([]);
      expect(t.logs()).not.toContain(METRICS_TOKEN);
    });
  });

  describe('the internal metrics port', () => {
    it('serves /metrics without a token', async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toContain('keyway_requests_total');
    });

    it('serves nothing else', async () => {
      expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/health/live`)).status).toBe(404);
    });
  });
});

describe('metrics without a token configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('/metrics on the main port answers 404, like an unknown route', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer anything-at-all-0123456789' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await fetch(`${t.baseUrl}/no-such-route`);
    const typeOf = async (r: Response) => ((await r.json()) as { type: string }).type;
    expect(await typeOf(res)).toBe(await typeOf(unknown));
  });
});
