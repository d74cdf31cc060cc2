import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { FakeProvider, FakeReply, FakeRequest, startFakeOpenAI } from '../../support/fake-providers';
import { startTestApp, TestApp } from '../../support/test-app';
import { Account, bearer, createProject, signUp } from '../../support/world';

/**
 * Requests through virtual models and gateway configs (DESIGN §5 step 2), against two loopback
 * OpenAI fakes answering in the true Chat Completions wire format. Each scenario has an
 * organization (and fakes) of its own, so no scenario's failing integration serves another's.
 */

jest.setTimeout(30_000);

const CHAT = '/v1/chat/completions';

/** What a fake does with its next requests: answer, fail with a status, or answer late. */
type Behaviour = { kind: 'ok' } | { kind: 'fail'; status: number } | { kind: 'late'; ms: number };

class Upstream {
  readonly key = `sk-proj-${randomBytes(16).toString('hex')}`;
  /** Consumed one per request; `ok` once empty. */
  readonly script: Behaviour[] = [];
  fake!: FakeProvider;

  constructor(readonly name: string) {}

  async start(): Promise<this> {
    this.fake = (await startFakeOpenAI({ apiKeys: [this.key] })).route('POST', CHAT, (req) => this.answer(req));
    return this;
  }

  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** The models requested of this fake, in order. */
  models(): string[] {
    return this.fake.requestsTo(CHAT).map((r) => (JSON.parse(r.body) as { model: string }).model);
  }

  private async answer(req: FakeRequest): Promise<FakeReply> {
    const body = JSON.parse(req.body) as { model: string };
    const next = this.script.shift() ?? { kind: 'ok' };
    if (next.kind === 'fail') return { status: next.status, body: { error: { message: `${this.name} is failing`, type: 'server_error', param: null, code: null } } };
    if (next.kind === 'late') await new Promise((done) => setTimeout(done, next.ms));
    return {
      status: 200,
      body: {
        id: `chatcmpl-${this.name}`,
        object: 'chat.completion',
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: `Hello from ${this.name}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      },
    };
  }
}

type Scenario = { owner: Account; projectId: string; key: string; client: OpenAI; alpha: Upstream; beta: Upstream };

describe('routing through virtual models and gateway configs', () => {
  let t: TestApp;
  const upstreams: Upstream[] = [];

  beforeAll(async () => {
    // A high threshold keeps integrations out of cooldown: these scenarios fail targets on purpose.
    t = await startTestApp({ LOG_LEVEL: 'warn', KEYWAY_HEALTH_FAILURE_THRESHOLD: '1000' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(upstreams.map((u) => u.fake.close()));
  });

  async function scenario(label: string): Promise<Scenario> {
    const alpha = await new Upstream('alpha').start();
    const beta = await new Upstream('beta').start();
    upstreams.push(alpha, beta);
    const owner = await signUp(t, label);
    const projectId = await createProject(t, owner, `${label} project`);
    for (const upstream of [alpha, beta]) {
      const { error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
        params: { path: { orgId: owner.organizationId } },
        body: { name: upstream.name, providerSlug: `openai-${upstream.name}`, provider: 'openai', credential: { apiKey: upstream.key }, customHost: upstream.fake.baseUrl },
        ...bearer(owner.token),
      });
      if (error) throw new Error(JSON.stringify(error));
    }
    const created = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId } }, body: { name: label }, ...bearer(owner.token) });
    const key = created.data!.key;
    return { owner, projectId, key, client: new OpenAI({ apiKey: key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 }), alpha, beta };
  }

  async function virtualModel(s: Scenario, body: Record<string, unknown>): Promise<string> {
    const { data, error } = await t.api.POST('/api/projects/{projectId}/virtual-models', { params: { path: { projectId: s.projectId } }, body: body as never, ...bearer(s.owner.token) });
    if (!data) throw new Error(JSON.stringify(error));
    return data.id;
  }

  async function gatewayConfig(s: Scenario, body: Record<string, unknown>): Promise<void> {
    const { error } = await t.api.POST('/api/projects/{projectId}/gateway-configs', { params: { path: { projectId: s.projectId } }, body: body as never, ...bearer(s.owner.token) });
    if (error) throw new Error(JSON.stringify(error));
  }

  /** Asks through the official SDK; returns who served (response header) and the text. */
  async function ask(s: Scenario, model: string, headers: Record<string, string> = {}): Promise<{ slug: string | null; text: string | null }> {
    const { data, response } = await s.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }, { headers }).withResponse();
    return { slug: response.headers.get('x-keyway-provider-slug'), text: data.choices[0].message.content };
  }

  const alphaTarget = (model = 'gpt-4o-mini', weight?: number) => ({ providerSlug: 'openai-alpha', model, ...(weight ? { weight } : {}) });
  const betaTarget = (model = 'gpt-4o', weight?: number) => ({ providerSlug: 'openai-beta', model, ...(weight ? { weight } : {}) });

  it('a virtual model with a fallback config tries its targets in listed order: the first fails with 500, the second serves', async () => {
    const s = await scenario('fallback');
    await gatewayConfig(s, { name: 'ordered', strategy: 'fallback', retry: { attempts: 2, onStatus: [500, 502, 503] }, timeoutMs: 10_000 });
    await virtualModel(s, { name: 'smart', targets: [alphaTarget('openai/gpt-4o-mini'), betaTarget('gpt-4o')], config: 'ordered' });

    for (let i = 0; i < 5; i++) expect(await ask(s, 'smart')).toEqual({ slug: 'openai-alpha', text: 'Hello from alpha' });
    expect(s.beta.models()).toEqual([]);

    s.alpha.next({ kind: 'fail', status: 500 });
    expect(await ask(s, 'smart')).toEqual({ slug: 'openai-beta', text: 'Hello from beta' });
    expect(s.alpha.models()).toEqual(Array(6).fill('gpt-4o-mini'));
    expect(s.beta.models()).toEqual(['gpt-4o']);
  });

  it('a virtual model without a config spreads traffic by weight', async () => {
    const s = await scenario('loadbalance');
    await virtualModel(s, { name: 'balanced', targets: [alphaTarget('gpt-4o-mini', 3), betaTarget('gpt-4o', 1)] });
    const served: Record<string, number> = {};
    const requests = 120;
    for (let i = 0; i < requests; i++) {
      const { slug } = await ask(s, 'balanced');
      served[slug ?? 'none'] = (served[slug ?? 'none'] ?? 0) + 1;
    }
    expect(Object.keys(served).sort()).toEqual(['openai-alpha', 'openai-beta']);
    // Expected 90/30; these bounds are about 3.8 standard deviations away.
    expect(served['openai-alpha'] / requests).toBeGreaterThan(0.6);
    expect(served['openai-alpha'] / requests).toBeLessThan(0.9);
  });

  it('x-keyway-config applies its retry attempts: one attempt answers the failure, two reach the next target', async () => {
    const s = await scenario('attempts');
    await gatewayConfig(s, { name: 'one-shot', strategy: 'fallback', targets: [alphaTarget(), betaTarget()], retry: { attempts: 1, onStatus: [503] }, timeoutMs: 10_000 });
    await gatewayConfig(s, { name: 'two-shots', strategy: 'fallback', targets: [alphaTarget(), betaTarget()], retry: { attempts: 2, onStatus: [503] }, timeoutMs: 10_000 });

    s.alpha.next({ kind: 'fail', status: 503 });
    const failure = await ask(s, 'openai/gpt-4o-mini', { 'x-keyway-config': 'one-shot' }).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(s.beta.models()).toEqual([]);

    s.alpha.next({ kind: 'fail', status: 503 });
    expect(await ask(s, 'openai/gpt-4o-mini', { 'x-keyway-config': 'two-shots' })).toEqual({ slug: 'openai-beta', text: 'Hello from beta' });
  });

  it('a config retries a single target up to its attempts, and only on the statuses it lists', async () => {
    const s = await scenario('single-target');
    await gatewayConfig(s, { name: 'stubborn', strategy: 'fallback', retry: { attempts: 3, onStatus: [503] }, timeoutMs: 10_000 });
    await virtualModel(s, { name: 'solo', targets: [alphaTarget()], config: 'stubborn' });

    s.alpha.next({ kind: 'fail', status: 503 }, { kind: 'fail', status: 503 });
    expect(await ask(s, 'solo')).toEqual({ slug: 'openai-alpha', text: 'Hello from alpha' });
    expect(s.alpha.models()).toHaveLength(3);

    s.alpha.next({ kind: 'fail', status: 500 });
    await expect(ask(s, 'solo')).rejects.toMatchObject({ status: 500 });
    expect(s.alpha.models()).toHaveLength(4);
  });

  it('x-keyway-config applies its timeout: a target slower than it is given up and the next one serves', async () => {
    const s = await scenario('timeout');
    await gatewayConfig(s, { name: 'quick', strategy: 'fallback', targets: [alphaTarget(), betaTarget()], retry: { attempts: 2, onStatus: [504] }, timeoutMs: 1000 });
    s.alpha.next({ kind: 'late', ms: 4000 });
    const started = Date.now();
    expect(await ask(s, 'openai/gpt-4o-mini', { 'x-keyway-config': 'quick' })).toEqual({ slug: 'openai-beta', text: 'Hello from beta' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3500);
  });

  it('an unknown x-keyway-config is refused with 400 in the caller’s format, naming the header', async () => {
    const s = await scenario('unknown-config');
    const failure = await ask(s, 'openai/gpt-4o-mini', { 'x-keyway-config': 'no-such-config' }).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, error: { type: 'invalid_request_error', param: 'x-keyway-config', code: 'unknown-gateway-config' } });

    const res = await fetch(`${t.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': s.key, 'x-keyway-config': 'no-such-config' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('x-keyway-config') } });
    expect([...s.alpha.models(), ...s.beta.models()]).toEqual([]);
  });

  it('the OpenAI SDK lists the project’s virtual models with GET /v1/models', async () => {
    const s = await scenario('listing');
    await virtualModel(s, { name: 'smart', targets: [alphaTarget(), betaTarget()] });
    const models = [];
    for await (const model of s.client.models.list()) models.push(model);
    expect(models.find((m) => m.id === 'smart')).toMatchObject({ id: 'smart', object: 'model', owned_by: 'virtual', keyway_source: 'byok' });
    expect(models.map((m) => m.id)).toContain('openai/gpt-4o-mini');
  });

  it('a change to a virtual model takes effect on the next request, and a deleted one stops routing', async () => {
    const s = await scenario('change');
    const id = await virtualModel(s, { name: 'switch', targets: [alphaTarget()] });
    expect((await ask(s, 'switch')).slug).toBe('openai-alpha');

    const path = { params: { path: { projectId: s.projectId, virtualModelId: id } }, ...bearer(s.owner.token) };
    await t.api.PATCH('/api/projects/{projectId}/virtual-models/{virtualModelId}', { ...path, body: { targets: [betaTarget()] } });
    expect(await ask(s, 'switch')).toEqual({ slug: 'openai-beta', text: 'Hello from beta' });
    expect(s.beta.models()).toEqual(['gpt-4o']);

    await t.api.DELETE('/api/projects/{projectId}/virtual-models/{virtualModelId}', path);
    await expect(ask(s, 'switch')).rejects.toMatchObject({ status: 404 });
  });

  it('a virtual model is only its own project’s: another project’s key does not reach it', async () => {
    const s = await scenario('isolation');
    await virtualModel(s, { name: 'private', targets: [alphaTarget()] });
    const other = await createProject(t, s.owner, 'other');
    const created = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId: other } }, body: { name: 'other' }, ...bearer(s.owner.token) });
    const client = new OpenAI({ apiKey: created.data!.key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'private', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 });
  });
});
