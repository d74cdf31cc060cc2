import OpenAI, { APIError } from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { FakeProvider, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';
import { ANTHROPIC_MESSAGES, anthropicMessages, delayed, OPENAI_CHAT, openAiChat } from '../../support/fake-chat';
import { anthropicKey, openAiKey } from '../../support/integration-fixtures';
import { aTenant, createIntegration, openAiClient, type Tenant } from '../../support/proxy-tenant';
import { createTestDatabase, startTestApp, TEST_REDIS_URL, TEST_SERVER_URL, type TestApp, type TestDatabase } from '../../support/test-app';
import { bearer, signUp } from '../../support/world';

/**
 * Budgets are hard caps (DESIGN §7): a request reserves its worst-case cost before it is sent to a
 * budgeted integration and settles to its real cost when it ends, so that concurrent requests, of
 * one instance or of several sharing Redis, never take recorded spend past the limit.
 *
 * Prices: openai/gpt-4o-mini costs $0.15 / $0.60 per 1M input / output tokens. Every request asks
 * for `max_tokens: 1000` and the fake provider spends all of them (9 input, 1000 output tokens =
 * $0.00060135), so a request really costs about what it reserves (≈ $0.0006128: its ~85-byte body
 * as input tokens plus 1,000 output tokens) and an overshoot would show in the recorded spend.
 */

jest.setTimeout(60_000);

const GPT = 'openai/gpt-4o-mini';
const CLAUDE = 'anthropic/claude-sonnet-4-6';
const COST_PER_REQUEST = (9 * 0.15 + 1000 * 0.6) / 1e6;
const PLATFORM_KEY = openAiKey();

type BudgetStatus = {
  integrationId: string;
  providerSlug: string;
  exhausted: boolean;
  daily: { limitUsd: number; spentUsd: number; reservedUsd: number; remainingUsd: number; startedAt: string; resetsAt: string } | null;
  monthly: { limitUsd: number; spentUsd: number; reservedUsd: number; remainingUsd: number; startedAt: string; resetsAt: string } | null;
};

/** A fake OpenAI that spends every output token it is allowed, after `delayMs`. */
async function spendingOpenAI(key: string, delayMs = 0): Promise<FakeProvider> {
  const fake = await startFakeOpenAI({ apiKeys: [key] });
  const answer = openAiChat((body) => ({ usage: { input: 9, output: Number(body.max_tokens ?? body.max_completion_tokens ?? 16) } }));
  return fake.route('POST', OPENAI_CHAT, delayMs > 0 ? delayed(delayMs, answer) : answer);
}

async function setBudget(t: TestApp, tenant: Tenant, integrationId: string, budget: { dailyBudgetUsd?: number | null; monthlyBudgetUsd?: number | null }): Promise<void> {
  const res = await fetch(`${t.baseUrl}/api/integrations/${integrationId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.owner.token}` },
    body: JSON.stringify(budget),
  });
  if (res.status !== 200) throw new Error(`PATCH integration: HTTP ${res.status} ${await res.text()}`);
}

async function budgetOf(t: TestApp, token: string, integrationId: string): Promise<{ status: number; body: BudgetStatus }> {
  const res = await fetch(`${t.baseUrl}/api/integrations/${integrationId}/budget`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as BudgetStatus };
}

type Outcome = { ok: true; slug: string | null; source: string | null } | { ok: false; status: number | undefined; message: string };

async function ask(client: OpenAI, maxTokens = 1000): Promise<Outcome> {
  try {
    const { response } = await client.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }], max_tokens: maxTokens }).withResponse();
    return { ok: true, slug: response.headers.get('x-keyway-provider-slug'), source: response.headers.get('x-keyway-credential-source') };
  } catch (error) {
    if (error instanceof APIError) return { ok: false, status: error.status, message: error.message };
    throw error;
  }
}

type ActivityItem = { integrationId: string | null; providerSlug: string | null; costUsd: number | null; status: string; httpStatus: number; errorMessage: string | null; id: string };

async function activityOf(t: TestApp, tenant: Tenant): Promise<ActivityItem[]> {
  await t.app.get(BatchingActivityWriter).flush();
  const items: ActivityItem[] = [];
  let cursor: string | undefined;
  do {
    const res = await fetch(`${t.baseUrl}/api/projects/${tenant.projectId}/activity?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${tenant.owner.token}` } });
    const page = (await res.json()) as { items: ActivityItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

function spentOn(items: ActivityItem[], integrationId: string): number {
  return items.filter((i) => i.integrationId === integrationId && i.status === 'success').reduce((sum, i) => sum + (i.costUsd ?? 0), 0);
}

describe('integration budgets', () => {
  let t: TestApp;
  let platform: FakeProvider;
  const fakes: FakeProvider[] = [];

  beforeAll(async () => {
    platform = await spendingOpenAI(PLATFORM_KEY);
    t = await startTestApp({ LOG_LEVEL: 'warn', KEYWAY_PLATFORM_OPENAI_API_KEY: PLATFORM_KEY, KEYWAY_PLATFORM_OPENAI_BASE_URL: platform.baseUrl });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([platform, ...fakes].map((f) => f.close()));
  });

  async function openAiFake(key: string, delayMs = 0): Promise<FakeProvider> {
    const fake = await spendingOpenAI(key, delayMs);
    fakes.push(fake);
    return fake;
  }

  it('50 concurrent requests against a small daily budget: recorded spend never exceeds it, the rest are refused naming the budget', async () => {
    const key = openAiKey();
    const fake = await openAiFake(key, 150);
    const tenant = await aTenant(t, 'budget-concurrency', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl, alwaysUse: true }]);
    const integrationId = tenant.integrationIds['openai-capped'];
    const limit = 0.005;
    await setBudget(t, tenant, integrationId, { dailyBudgetUsd: limit });

    const outcomes = await Promise.all(Array.from({ length: 50 }, () => ask(tenant.openai)));

    const served = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.message).toContain('openai-capped');
      expect(r.message).toMatch(/daily budget of \$0\.005 is spent/);
    }
    const items = await activityOf(t, tenant);
    const spent = spentOn(items, integrationId);
    expect(spent).toBeLessThanOrEqual(limit);
    // Without reservations all 50 would have been sent: 50 × $0.0006 = $0.03.
    expect(served.length * COST_PER_REQUEST).toBeLessThanOrEqual(limit);
    expect(fake.requestsTo(OPENAI_CHAT).length).toBe(served.length);

    const { status, body } = await budgetOf(t, tenant.owner.token, integrationId);
    expect(status).toBe(200);
    expect(body.daily).toMatchObject({ limitUsd: limit, reservedUsd: 0 });
    expect(body.daily!.spentUsd).toBeCloseTo(spent, 9);
    expect(body.daily!.remainingUsd).toBeCloseTo(limit - spent, 6);
    expect(body.monthly).toBeNull();
  });

  it('an integration over its budget is skipped and the next integration serves; the record says why', async () => {
    const [capped, spare] = [openAiKey(), openAiKey()];
    const [cappedFake, spareFake] = [await openAiFake(capped), await openAiFake(spare)];
    const tenant = await aTenant(t, 'budget-fallback', [
      { slug: 'openai-capped', provider: 'openai', apiKey: capped, host: cappedFake.baseUrl, weight: 1000 },
      { slug: 'openai-spare', provider: 'openai', apiKey: spare, host: spareFake.baseUrl, weight: 1 },
    ]);
    // Less than one request's worst case: the capped integration can serve nothing.
    await setBudget(t, tenant, tenant.integrationIds['openai-capped'], { monthlyBudgetUsd: 0.0001 });

    for (let i = 0; i < 5; i += 1) expect(await ask(tenant.openai)).toEqual({ ok: true, slug: 'openai-spare', source: 'byok' });
    expect(cappedFake.requestsTo(OPENAI_CHAT)).toHaveLength(0);

    const [latest] = await activityOf(t, tenant);
    const detail = (await (await fetch(`${t.baseUrl}/api/activity/${latest.id}`, bearer(tenant.owner.token))).json()) as { attempts: { providerSlug: string; outcome: string; reason: string | null }[] };
    expect(detail.attempts).toEqual([
      expect.objectContaining({ providerSlug: 'openai-capped', outcome: 'skipped', reason: expect.stringMatching(/^budget_exceeded: its monthly budget of \$0\.0001 is spent/) }),
      expect.objectContaining({ providerSlug: 'openai-spare', outcome: 'ok' }),
    ]);
  });

  it('with no other integration the platform credential serves once the budget is spent', async () => {
    const key = openAiKey();
    const fake = await openAiFake(key);
    const tenant = await aTenant(t, 'budget-platform', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl }]);
    await setBudget(t, tenant, tenant.integrationIds['openai-capped'], { dailyBudgetUsd: 0.0001 });

    expect(await ask(tenant.openai)).toEqual({ ok: true, slug: 'platform:openai', source: 'platform' });
    expect(fake.requestsTo(OPENAI_CHAT)).toHaveLength(0);
  });

  it('a request small enough for what is left is still served', async () => {
    const key = openAiKey();
    const fake = await openAiFake(key);
    const tenant = await aTenant(t, 'budget-small', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl, alwaysUse: true }]);
    // One 1,000-token request fits, a second does not; a 10-token one still does.
    await setBudget(t, tenant, tenant.integrationIds['openai-capped'], { dailyBudgetUsd: 0.001 });

    expect(await ask(tenant.openai)).toMatchObject({ ok: true, slug: 'openai-capped' });
    expect(await ask(tenant.openai)).toMatchObject({ ok: false, status: 429 });
    expect(await ask(tenant.openai, 10)).toMatchObject({ ok: true, slug: 'openai-capped' });
  });

  it('an Anthropic client gets a 429 in its own format naming the budget, with retry-after until the window turns over', async () => {
    const key = anthropicKey();
    const fake = (await startFakeAnthropic({ apiKeys: [key] })).route('POST', ANTHROPIC_MESSAGES, anthropicMessages());
    fakes.push(fake);
    const tenant = await aTenant(t, 'budget-anthropic', [{ slug: 'claude-capped', provider: 'anthropic', apiKey: key, host: fake.baseUrl }]);
    await setBudget(t, tenant, tenant.integrationIds['claude-capped'], { dailyBudgetUsd: 0.0001 });

    const error = await tenant.anthropic.messages.create({ model: CLAUDE, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimited = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimited.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringMatching(/claude-capped: budget_exceeded: its daily budget of \$0\.0001 is spent/) } });
    const untilMidnight = (Date.parse(new Date().toISOString().slice(0, 10)) + 86_400_000 - Date.now()) / 1000;
    expect(Number(rateLimited.headers?.get('retry-after'))).toBeGreaterThan(untilMidnight - 5);
    expect(Number(rateLimited.headers?.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(untilMidnight) + 1);
    expect(fake.requestsTo(ANTHROPIC_MESSAGES)).toHaveLength(0);
  });

  it('raising the budget takes effect on the next request', async () => {
    const key = openAiKey();
    const fake = await openAiFake(key);
    const tenant = await aTenant(t, 'budget-raise', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl, alwaysUse: true }]);
    const id = tenant.integrationIds['openai-capped'];
    await setBudget(t, tenant, id, { dailyBudgetUsd: 0.0001 });
    expect(await ask(tenant.openai)).toMatchObject({ ok: false, status: 429 });

    await setBudget(t, tenant, id, { dailyBudgetUsd: 1 });
    expect(await ask(tenant.openai)).toMatchObject({ ok: true, slug: 'openai-capped' });
    await setBudget(t, tenant, id, { dailyBudgetUsd: null });
    expect((await budgetOf(t, tenant.owner.token, id)).body).toMatchObject({ exhausted: false, daily: null, monthly: null });
  });

  it('the budget status is readable by whoever may read the integration, and by no one of another organization', async () => {
    const key = openAiKey();
    const fake = await openAiFake(key);
    const tenant = await aTenant(t, 'budget-status', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl }]);
    const id = tenant.integrationIds['openai-capped'];
    await setBudget(t, tenant, id, { dailyBudgetUsd: 0.0001, monthlyBudgetUsd: 20 });

    const { status, body } = await budgetOf(t, tenant.owner.token, id);
    expect(status).toBe(200);
    const now = new Date();
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    expect(body).toEqual({
      integrationId: id,
      providerSlug: 'openai-capped',
      exhausted: false,
      daily: { limitUsd: 0.0001, spentUsd: 0, reservedUsd: 0, remainingUsd: 0.0001, startedAt: dayStart.toISOString(), resetsAt: new Date(dayStart.getTime() + 86_400_000).toISOString() },
      monthly: {
        limitUsd: 20,
        spentUsd: 0,
        reservedUsd: 0,
        remainingUsd: 20,
        startedAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
        resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      },
    });
    const stranger = await signUp(t, 'budget-stranger');
    expect((await budgetOf(t, stranger.token, id)).status).toBe(404);
  });
});

describe('integration budgets across a restart', () => {
  let db: TestDatabase;
  let fake: FakeProvider;
  const key = openAiKey();

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await spendingOpenAI(key);
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });

  it('a restarted gateway starts from the spend recorded in the activity log, not from zero', async () => {
    // In memory (no Redis), so that nothing but the database remembers the spend.
    const first = await startTestApp({ LOG_LEVEL: 'warn', REDIS_URL: '' }, db);
    const tenant = await aTenant(first, 'budget-restart', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl, alwaysUse: true }]);
    const id = tenant.integrationIds['openai-capped'];
    // Three requests fit ($0.0018 spent), a fourth would cross $0.002.
    await setBudget(first, tenant, id, { dailyBudgetUsd: 0.002 });
    for (let i = 0; i < 3; i += 1) expect(await ask(tenant.openai)).toMatchObject({ ok: true });
    expect(await ask(tenant.openai)).toMatchObject({ ok: false, status: 429 });
    await first.stop();

    const second = await startTestApp({ LOG_LEVEL: 'warn', REDIS_URL: '' }, db);
    try {
      const client = openAiClient(second, tenant.key);
      expect(await ask(client)).toMatchObject({ ok: false, status: 429 });
      const { body } = await budgetOf(second, tenant.owner.token, id);
      expect(body.daily!.spentUsd).toBeCloseTo(3 * COST_PER_REQUEST, 9);
      expect(fake.requestsTo(OPENAI_CHAT)).toHaveLength(3);
    } finally {
      await second.stop();
    }
  });
});

if (TEST_SERVER_URL && TEST_REDIS_URL) {
  describe('integration budgets on two instances sharing Redis', () => {
    let db: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    let fake: FakeProvider;
    const key = openAiKey();

    beforeAll(async () => {
      db = await createTestDatabase();
      fake = await spendingOpenAI(key, 150);
      a = await startTestApp({ LOG_LEVEL: 'warn' }, db);
      b = await startTestApp({ LOG_LEVEL: 'warn' }, db);
    });
    afterAll(async () => {
      await a.stop();
      await b.stop();
      await fake.close();
      await db.drop();
    });

    it('50 concurrent requests spread over both instances never take recorded spend past the limit', async () => {
      const tenant = await aTenant(a, 'budget-shared', [{ slug: 'openai-capped', provider: 'openai', apiKey: key, host: fake.baseUrl, alwaysUse: true }]);
      const id = tenant.integrationIds['openai-capped'];
      const limit = 0.005;
      await setBudget(a, tenant, id, { dailyBudgetUsd: limit });
      const clients = [tenant.openai, openAiClient(b, tenant.key)];

      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(clients[i % 2])));

      const served = outcomes.filter((o) => o.ok).length;
      expect(served).toBeGreaterThan(0);
      expect(outcomes.filter((o) => !o.ok && o.status === 429)).toHaveLength(50 - served);
      expect(served * COST_PER_REQUEST).toBeLessThanOrEqual(limit);
      expect(fake.requestsTo(OPENAI_CHAT).length).toBe(served);
      await b.app.get(BatchingActivityWriter).flush();
      const spent = spentOn(await activityOf(a, tenant), id);
      expect(spent).toBeLessThanOrEqual(limit);
      // Both instances see the same running total.
      const [fromA, fromB] = [await budgetOf(a, tenant.owner.token, id), await budgetOf(b, tenant.owner.token, id)];
      expect(fromA.body.daily!.spentUsd).toBeCloseTo(spent, 9);
      expect(fromB.body.daily!.spentUsd).toBeCloseTo(spent, 9);
    });
  });
}
