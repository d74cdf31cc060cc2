import { FakeProvider, openAiKeyEcho, startFakeAnthropic, startFakeAzureOpenAI, startFakeGemini, startFakeOpenAI } from '../../support/fake-providers';
import { anthropicKey, azureCredential, bedrockCredential, IntegrationsClient, openAiKey, randomText, vertexCredential, type Problem } from '../../support/integration-fixtures';
import { findInText, fragmentsOf, scanLogs } from '../../support/secret-scan';
import { startTestApp, type TestApp } from '../../support/test-app';
import { signUp, type Account } from '../../support/world';

/**
 * "Test" on an integration (POST /api/integrations/{id}/test) against loopback providers that
 * check credentials the way the real ones do: a right key is accepted, a wrong one marks the
 * integration failing with the provider's message redacted, and rotating clears it.
 */

jest.setTimeout(60_000);

describe('testing an integration against its provider', () => {
  let t: TestApp;
  let owner: Account;
  let client: IntegrationsClient;
  const fakes: FakeProvider[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t, 'probe-owner');
    client = new IntegrationsClient(t.baseUrl);
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await t.close();
  });

  async function fake<T extends FakeProvider>(started: Promise<T>): Promise<T> {
    const f = await started;
    fakes.push(f);
    return f;
  }

  const slug = (prefix: string) => `${prefix}-${randomText(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;

  /** No run of 5 characters of the key (after its vendor label) shows, nor the masked echo. */
  function expectNoKeyFragment(text: string, key: string, label: string): void {
    const body = key.replace(/^(sk-proj-|sk-ant-api03-)/, '');
    expect(findInText(text, { ...fragmentsOf(label, body, 5), echo: openAiKeyEcho(key) }, label)).toEqual([]);
  }

  it('an OpenAI key the provider accepts tests ok and the integration records the success', async () => {
    const key = openAiKey();
    const openai = await fake(startFakeOpenAI({ apiKeys: [key] }));
    const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'OpenAI', providerSlug: slug('openai'), provider: 'openai', credential: { apiKey: key }, customHost: openai.baseUrl });

    const probe = await client.test(owner.token, integration.id);
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ ok: true, status: 200, latencyMs: expect.any(Number), message: 'The provider accepted the credential.' });
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${key}`);

    const after = await client.get(owner.token, integration.id);
    expect(after.body.health).toMatchObject({ status: 'healthy', lastError: null, lastSuccessAt: expect.any(String) });
    expect(findInText(client.responseText(), { key }, 'responses')).toEqual([]);
  });

  it('a wrong OpenAI key tests not ok, marks the integration failing with the provider message redacted, and rotating the key makes it healthy again', async () => {
    const rightKey = openAiKey();
    const wrongKey = openAiKey();
    const openai = await fake(startFakeOpenAI({ apiKeys: [rightKey] }));
    const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'OpenAI wrong', providerSlug: slug('openai'), provider: 'openai', credential: { apiKey: wrongKey }, customHost: openai.baseUrl });

    const probe = await client.test(owner.token, integration.id);
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ ok: false, status: 401 });
    expect(probe.body.message).toMatch(/^The provider rejected the credential with HTTP 401: Incorrect API key provided: \[REDACTED\]/);
    expect(probe.body.message).toContain('You can find your API key at https://platform.openai.com/account/api-keys.');
    expectNoKeyFragment(probe.text, wrongKey, 'probe response');
    // The fake did echo a fragment of the key: the redaction above is what removed it.
    expect(openai.requests).toHaveLength(1);

    const failing = await client.get(owner.token, integration.id);
    expect(failing.body.health).toMatchObject({ status: 'failing', lastError: probe.body.message, lastErrorAt: expect.any(String) });
    expectNoKeyFragment(failing.text, wrongKey, 'integration');

    const rotated = await client.rotate(owner.token, integration.id, { apiKey: rightKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.health).toMatchObject({ status: 'healthy', consecutiveFailures: 0, lastError: null, lastErrorAt: null });

    const again = await client.test(owner.token, integration.id);
    expect(again.body).toMatchObject({ ok: true, status: 200 });
    expect(openai.requests[1].headers.authorization).toBe(`Bearer ${rightKey}`);
    expectNoKeyFragment(t.logs(), wrongKey, 'logs');
    expect(scanLogs(t, { rightKey, wrongKey })).toEqual([]);
  });

  it('an Anthropic key is sent as x-api-key with an anthropic-version; a wrong one marks the integration failing', async () => {
    const rightKey = anthropicKey();
    const wrongKey = anthropicKey();
    const anthropic = await fake(startFakeAnthropic({ apiKeys: [rightKey] }));
    const good = await client.mustCreate(owner.token, owner.organizationId, { name: 'Anthropic', providerSlug: slug('anthropic'), provider: 'anthropic', credential: { apiKey: rightKey }, customHost: anthropic.baseUrl });
    const bad = await client.mustCreate(owner.token, owner.organizationId, { name: 'Anthropic wrong', providerSlug: slug('anthropic'), provider: 'anthropic', credential: { apiKey: wrongKey }, customHost: anthropic.baseUrl });

    const ok = await client.test(owner.token, good.id);
    expect(ok.body).toMatchObject({ ok: true, status: 200 });
    expect(anthropic.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(anthropic.requests[0].headers['x-api-key']).toBe(rightKey);
    expect(anthropic.requests[0].headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const refused = await client.test(owner.token, bad.id);
    expect(refused.body).toMatchObject({ ok: false, status: 401, message: 'The provider rejected the credential with HTTP 401: invalid x-api-key' });
    const failing = await client.get(owner.token, bad.id);
    expect(failing.body.health).toMatchObject({ status: 'failing', lastError: 'The provider rejected the credential with HTTP 401: invalid x-api-key' });

    const rotated = await client.rotate(owner.token, bad.id, { apiKey: rightKey });
    expect(rotated.body.health.status).toBe('healthy');
    expect((await client.test(owner.token, bad.id)).body.ok).toBe(true);
    expect(findInText(client.responseText(), { rightKey, wrongKey }, 'responses')).toEqual([]);
  });

  it('custom auth headers are sent to the provider along with the key', async () => {
    const key = openAiKey();
    const orgHeader = `org-${randomText(24)}`;
    const openai = await fake(startFakeOpenAI({ apiKeys: [key] }));
    const integration = await client.mustCreate(owner.token, owner.organizationId, {
      name: 'OpenAI with headers',
      providerSlug: slug('openai'),
      provider: 'openai',
      credential: { apiKey: key },
      customHost: openai.baseUrl,
      customAuthHeaders: { 'X-Org-Key': orgHeader },
    });
    expect((await client.test(owner.token, integration.id)).body.ok).toBe(true);
    expect(openai.requests[0].headers['x-org-key']).toBe(orgHeader);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${key}`);
    expect(findInText(client.responseText(), { orgHeader }, 'responses')).toEqual([]);
  });

  it('a provider that answers with a redirect is not followed: the key never reaches the other host', async () => {
    const key = openAiKey();
    const elsewhere = await fake(startFakeOpenAI({ apiKeys: [key] }));
    const redirecting = await fake(startFakeOpenAI({ apiKeys: [key] }));
    redirecting.answerEverything(() => ({ status: 307, headers: { location: `${elsewhere.baseUrl}/models` } }));
    const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'Redirecting', providerSlug: slug('openai'), provider: 'openai', credential: { apiKey: key }, customHost: redirecting.baseUrl });

    const probe = await client.test(owner.token, integration.id);
    expect(probe.body).toMatchObject({ ok: false, status: 307 });
    expect(redirecting.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('an Azure OpenAI resource behind a custom host is tested with its api-key and api-version', async () => {
    const credential = azureCredential('contoso-probe');
    const azure = await fake(startFakeAzureOpenAI({ apiKeys: [credential.apiKey] }));
    const created = await client.create(owner.token, owner.organizationId, { name: 'Azure', providerSlug: slug('azure'), provider: 'azure-openai', credential, customHost: azure.baseUrl });
    expect(created).toMatchObject({ status: 201 });

    const probe = await client.test(owner.token, created.body.id);
    expect(probe.body).toMatchObject({ ok: true, status: 200 });
    expect(azure.requests).toHaveLength(1);
    expect(azure.requests[0]).toMatchObject({ method: 'GET', path: '/openai/models' });
    expect(azure.requests[0].query.get('api-version')).toBe('2024-10-21');
    expect(azure.requests[0].headers['api-key']).toBe(credential.apiKey);
    expect(azure.requests[0].headers.authorization).toBeUndefined();
  });

  it('a Google AI Studio key the provider calls invalid (HTTP 400 API_KEY_INVALID) marks the integration failing', async () => {
    const rightKey = `AIza${randomText(35)}`;
    const wrongKey = `AIza${randomText(35)}`;
    const gemini = await fake(startFakeGemini({ apiKeys: [rightKey] }));
    const created = await client.create(owner.token, owner.organizationId, { name: 'Gemini', providerSlug: slug('gemini'), provider: 'google', credential: { apiKey: wrongKey }, customHost: gemini.baseUrl });
    expect(created).toMatchObject({ status: 201 });

    const probe = await client.test(owner.token, created.body.id);
    expect(probe.body).toMatchObject({ ok: false, status: 400 });
    expect(probe.body.message).toContain('API key not valid');
    expect(gemini.requests[0].headers['x-goog-api-key']).toBe(wrongKey);
    const after = await client.get(owner.token, created.body.id);
    expect(after.body.health.status).toBe('failing');
    expect(findInText(client.responseText(), { rightKey, wrongKey }, 'responses')).toEqual([]);
  });

  it.each([
    ['AWS Bedrock', 'bedrock', () => bedrockCredential(true)],
    ['Vertex AI', 'vertex-ai', () => vertexCredential()],
  ])('testing an integration of %s says the check is not supported yet (400) and leaves its health alone', async (_name, provider, credential) => {
    const integration = await client.mustCreate(owner.token, owner.organizationId, { name: provider, providerSlug: slug(provider), provider, credential: credential() });
    const probe = await client.send<Problem>('POST', `/api/integrations/${integration.id}/test`, owner.token);
    expect(probe.status).toBe(400);
    expect(probe.contentType).toContain('application/problem+json');
    expect(probe.body.type).toBe('urn:keyway:problem:probe-unsupported');
    const after = await client.get(owner.token, integration.id);
    expect(after.body.health.status).toBe('healthy');
  });
});
