import { FakeProvider, startFakeOpenAI } from '../../support/fake-providers';
import { azureCredential, IntegrationsClient, openAiKey, type IntegrationView, type Problem } from '../../support/integration-fixtures';
import { createTestDatabase, startTestApp, type TestApp } from '../../support/test-app';
import { signUp, type Account } from '../../support/world';

/**
 * A custom host is never a way into the operator's network (DESIGN §6): loopback, private,
 * link-local and metadata addresses are refused when saved and again when connecting, unless
 * the operator sets KEYWAY_ALLOW_PRIVATE_HOSTS=true.
 */

jest.setTimeout(90_000);

const UNSAFE_HOSTS: [string, RegExp][] = [
  ['http://127.0.0.1', /loopback/],
  ['http://169.254.169.254', /metadata/],
  ['http://[::1]', /loopback/],
  ['http://10.0.0.1', /private/],
  ['http://localhost:8080', /loopback/],
];

const UNSAFE_ENDPOINT = 'http://127.0.0.1/x';

function slugOf(url: string): string {
  return `custom-${url.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`.slice(0, 63);
}

describe('custom hosts and the operator network', () => {
  describe('with KEYWAY_ALLOW_PRIVATE_HOSTS=false', () => {
    let t: TestApp;
    let owner: Account;
    let client: IntegrationsClient;
    beforeAll(async () => {
      t = await startTestApp({ KEYWAY_ALLOW_PRIVATE_HOSTS: 'false' });
      owner = await signUp(t, 'ssrf-owner');
      client = new IntegrationsClient(t.baseUrl);
    });
    afterAll(() => t.close());

    async function snapshot(): Promise<IntegrationView[]> {
      return (await client.list(owner.token, owner.organizationId)).body;
    }

    function expectRefusal(sent: { status: number; contentType: string; body: unknown }, field: string, reason: RegExp): void {
      expect(sent.status).toBe(400);
      expect(sent.contentType).toContain('application/problem+json');
      const problem = sent.body as Problem;
      expect(problem.errors).toEqual([{ field, message: expect.stringMatching(reason) }]);
      expect(problem.errors![0].message).toContain('KEYWAY_ALLOW_PRIVATE_HOSTS=true');
    }

    it.each(UNSAFE_HOSTS)('a custom host of %s is refused naming customHost, and nothing is stored', async (url, reason) => {
      const before = await snapshot();
      const sent = await client.create(owner.token, owner.organizationId, {
        name: 'Internal',
        providerSlug: slugOf(url),
        provider: 'openai',
        credential: { apiKey: openAiKey() },
        customHost: url,
      });
      expectRefusal(sent, 'customHost', reason);
      expect(await snapshot()).toEqual(before);
    });

    it('an Azure deployment endpoint URL on a loopback address is refused naming credential.deployments[0].endpointUrl, and nothing is stored', async () => {
      const before = await snapshot();
      const credential = azureCredential();
      credential.deployments = [{ modelSlug: 'gpt-4o', endpointUrl: UNSAFE_ENDPOINT }];
      const sent = await client.create(owner.token, owner.organizationId, { name: 'Azure internal', providerSlug: 'azure-internal', provider: 'azure-openai', credential });
      expectRefusal(sent, 'credential.deployments[0].endpointUrl', /loopback/);
      expect(await snapshot()).toEqual(before);
    });

    it('editing an integration to point at a loopback host is refused and leaves it as it was', async () => {
      const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'OpenAI', providerSlug: 'openai-edit-ssrf', provider: 'openai', credential: { apiKey: openAiKey() } });
      const sent = await client.update(owner.token, integration.id, { customHost: 'http://127.0.0.1:11434/v1' });
      expectRefusal(sent, 'customHost', /loopback/);
      expect((await client.get(owner.token, integration.id)).body).toEqual(integration);
    });

    it('rotating an Azure credential to a loopback endpoint URL is refused and keeps the current credential', async () => {
      // Deployment names only: a public endpoint URL would have to resolve, and this sandbox may have no DNS.
      const current = azureCredential();
      current.deployments = [current.deployments[0]];
      const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'Azure', providerSlug: 'azure-rotate-ssrf', provider: 'azure-openai', credential: current });
      const next = azureCredential();
      next.deployments[1].endpointUrl = UNSAFE_ENDPOINT;
      const sent = await client.rotate(owner.token, integration.id, next);
      expectRefusal(sent, 'credential.deployments[1].endpointUrl', /loopback/);
      expect((await client.get(owner.token, integration.id)).body).toEqual(integration);
    });
  });

  describe('with KEYWAY_ALLOW_PRIVATE_HOSTS=true', () => {
    let t: TestApp;
    let owner: Account;
    let client: IntegrationsClient;
    beforeAll(async () => {
      t = await startTestApp({ KEYWAY_ALLOW_PRIVATE_HOSTS: 'true' });
      owner = await signUp(t, 'private-owner');
      client = new IntegrationsClient(t.baseUrl);
    });
    afterAll(() => t.close());

    it.each(UNSAFE_HOSTS)('a custom host of %s is accepted', async (url) => {
      const sent = await client.create(owner.token, owner.organizationId, { name: 'Internal', providerSlug: slugOf(url), provider: 'openai', credential: { apiKey: openAiKey() }, customHost: url });
      expect(sent.status).toBe(201);
      expect(sent.body.customHost).toBe(url);
      expect((await client.get(owner.token, sent.body.id)).body.customHost).toBe(url);
    });

    it('an Azure deployment endpoint URL on a loopback address is accepted', async () => {
      const credential = azureCredential();
      credential.deployments = [{ modelSlug: 'gpt-4o', endpointUrl: UNSAFE_ENDPOINT }];
      const sent = await client.create(owner.token, owner.organizationId, { name: 'Azure internal', providerSlug: 'azure-internal', provider: 'azure-openai', credential });
      expect(sent.status).toBe(201);
      expect(sent.body.credential.details.deployments).toEqual([{ modelSlug: 'gpt-4o', deploymentName: null, endpointUrl: UNSAFE_ENDPOINT, apiKey: null }]);
    });
  });

  describe('at connect time', () => {
    let openai: FakeProvider;
    const key = openAiKey();
    beforeAll(async () => {
      openai = await startFakeOpenAI({ apiKeys: [key] });
    });
    afterAll(() => openai.close());

    it('an integration saved while private hosts were allowed is not contacted once they are refused: the test reports the connection was refused', async () => {
      const db = await createTestDatabase();
      try {
        const allowed = await startTestApp({ KEYWAY_ALLOW_PRIVATE_HOSTS: 'true' }, db);
        const owner = await signUp(allowed, 'connect-owner');
        const integration = await new IntegrationsClient(allowed.baseUrl).mustCreate(owner.token, owner.organizationId, {
          name: 'Local model server',
          providerSlug: 'openai-local',
          provider: 'openai',
          credential: { apiKey: key },
          customHost: openai.baseUrl,
        });
        // Reachable while allowed: the refusal below comes from the policy, not from the network.
        expect((await new IntegrationsClient(allowed.baseUrl).test(owner.token, integration.id)).body).toMatchObject({ ok: true });
        expect(openai.requests).toHaveLength(1);
        await allowed.stop();

        const refused = await startTestApp({ KEYWAY_ALLOW_PRIVATE_HOSTS: 'false' }, db);
        try {
          const client = new IntegrationsClient(refused.baseUrl);
          const probe = await client.test(owner.token, integration.id);
          expect(probe.status).toBe(200);
          expect(probe.body).toMatchObject({ ok: false, status: null });
          expect(probe.body.message).toMatch(/^Could not reach the provider: .*[Rr]efused.*loopback/);
          expect(openai.requests).toHaveLength(1);
          // Not the credential's fault: the integration is not marked failing.
          expect((await client.get(owner.token, integration.id)).body.health.status).toBe('healthy');
        } finally {
          await refused.stop();
        }
      } finally {
        await db.drop();
      }
    });
  });
});
