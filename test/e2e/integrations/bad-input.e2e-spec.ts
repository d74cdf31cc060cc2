import { anthropicKey, IntegrationsClient, openAiKey, randomText, serviceAccount, type IntegrationView, type Problem, type Sent } from '../../support/integration-fixtures';
import { findInText } from '../../support/secret-scan';
import { startTestApp, type TestApp } from '../../support/test-app';
import { createProject, signUp, type Account } from '../../support/world';

/**
 * Wrong integration input: always a problem+json 4xx naming each field at fault, never an echo
 * of a secret, and the organization's integrations exactly as they were.
 */

jest.setTimeout(60_000);

describe('invalid integration input', () => {
  let t: TestApp;
  let owner: Account;
  let client: IntegrationsClient;
  let existing: IntegrationView;
  let foreignProject: string;
  const existingKey = anthropicKey();
  /** Secrets sent in refused requests: none may come back. */
  const sentSecrets: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t, 'bad-input-owner');
    client = new IntegrationsClient(t.baseUrl);
    existing = await client.mustCreate(owner.token, owner.organizationId, { name: 'Anthropic', providerSlug: 'anthropic-prod', provider: 'anthropic', credential: { apiKey: existingKey } });
    const other = await signUp(t, 'bad-input-other');
    foreignProject = await createProject(t, other, 'not-yours');
  });
  afterAll(() => t.close());

  const org = () => owner.organizationId;

  async function integrations(): Promise<IntegrationView[]> {
    return (await client.list(owner.token, org())).body;
  }

  function secret(label: string, value: string): string {
    sentSecrets[label] = value;
    return value;
  }

  function valid(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: 'OpenAI', providerSlug: `openai-${randomText(6, 'abcdefghijklmnopqrstuvwxyz')}`, provider: 'openai', credential: { apiKey: secret(`key ${Object.keys(sentSecrets).length}`, openAiKey()) }, ...overrides };
  }

  /** Sends `attempt`, expects a problem naming exactly `fields`, and an unchanged integration list. */
  async function expectRefused(attempt: () => Promise<Sent<unknown>>, status: number, type: string, fields: string[]): Promise<Problem> {
    const before = await integrations();
    const sent = await attempt();
    expect(sent.status).toBe(status);
    expect(sent.contentType).toContain('application/problem+json');
    const problem = sent.body as Problem;
    expect(problem).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
    expect((problem.errors ?? []).map((e) => e.field).sort()).toEqual([...fields].sort());
    for (const error of problem.errors ?? []) expect(error.message).toEqual(expect.any(String));
    expect(await integrations()).toEqual(before);
    return problem;
  }

  const INVALID = 'urn:keyway:problem:invalid-integration';
  const VALIDATION = 'urn:keyway:problem:validation-failed';

  it.each(['Anthropic_Prod', 'a', '-leading-dash', 'has space', 'x'.repeat(64)])('a provider slug of "%s" is refused naming providerSlug', async (providerSlug) => {
    await expectRefused(() => client.create(owner.token, org(), valid({ providerSlug })), 400, INVALID, ['providerSlug']);
  });

  it('a provider slug already used in the organization is a 409 naming providerSlug, on create and on edit', async () => {
    await expectRefused(() => client.create(owner.token, org(), valid({ providerSlug: 'anthropic-prod', provider: 'anthropic' })), 409, 'urn:keyway:problem:provider-slug-taken', ['providerSlug']);
    const other = await client.mustCreate(owner.token, org(), valid({ providerSlug: 'openai-other' }));
    await expectRefused(() => client.update(owner.token, other.id, { providerSlug: 'anthropic-prod' }), 409, 'urn:keyway:problem:provider-slug-taken', ['providerSlug']);
  });

  it('an unknown provider is refused naming provider', async () => {
    const problem = await expectRefused(() => client.create(owner.token, org(), valid({ provider: 'openia' })), 400, INVALID, ['provider']);
    expect(problem.errors![0].message).toContain('anthropic');
  });

  it('a credential of the wrong shape for the provider names each missing and unexpected field', async () => {
    await expectRefused(
      () => client.create(owner.token, org(), valid({ provider: 'bedrock', providerSlug: 'bedrock-prod', credential: { apiKey: secret('bedrock apiKey', openAiKey()) } })),
      400,
      INVALID,
      ['credential.apiKey', 'credential.accessKeyId', 'credential.secretAccessKey', 'credential.region'],
    );
    await expectRefused(
      () => client.create(owner.token, org(), valid({ provider: 'azure-openai', providerSlug: 'azure-prod', credential: { apiKey: secret('azure apiKey', randomText(32)), resourceName: 'contoso' } })),
      400,
      INVALID,
      ['credential.deployments'],
    );
    await expectRefused(
      () => client.create(owner.token, org(), valid({ credential: { apiKey: secret('spaced key', `sk-proj-${randomText(10)} ${randomText(10)}`) } })),
      400,
      INVALID,
      ['credential.apiKey'],
    );
  });

  it('an AWS access key id that is not AKIA…/ASIA… is refused naming credential.accessKeyId', async () => {
    const credential = { accessKeyId: secret('bad access key id', `XKIA${randomText(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`), secretAccessKey: secret('aws secret', randomText(40)), region: 'us-east-1' };
    await expectRefused(() => client.create(owner.token, org(), valid({ provider: 'bedrock', providerSlug: 'bedrock-prod', credential })), 400, INVALID, ['credential.accessKeyId']);
  });

  it('a project of another organization in projectScope is refused naming projectScope[0]', async () => {
    await expectRefused(() => client.create(owner.token, org(), valid({ projectScope: [foreignProject] })), 400, INVALID, ['projectScope[0]']);
    await expectRefused(() => client.update(owner.token, existing.id, { projectScope: [foreignProject] }), 400, INVALID, ['projectScope[0]']);
  });

  it.each([0, 1001, 1.5])('a weight of %s is refused naming weight', async (weight) => {
    await expectRefused(() => client.create(owner.token, org(), valid({ weight })), 400, VALIDATION, ['weight']);
    await expectRefused(() => client.update(owner.token, existing.id, { weight }), 400, VALIDATION, ['weight']);
  });

  describe('a Vertex AI service-account file', () => {
    const vertex = (serviceAccountJson: unknown) => valid({ provider: 'vertex-ai', providerSlug: 'vertex-prod', credential: { serviceAccountJson, region: 'us-central1' } });

    it('that is not JSON is refused naming credential.serviceAccountJson', async () => {
      const pem = serviceAccount().private_key;
      const notJson = secret('not-json service account', `{"type": "service_account", "private_key": "${pem.replace(/\n/g, '\\n')}",`);
      await expectRefused(() => client.create(owner.token, org(), vertex(notJson)), 400, INVALID, ['credential.serviceAccountJson']);
    });

    it('whose type is not service_account is refused naming credential.serviceAccountJson.type', async () => {
      const account = { ...serviceAccount(), type: 'authorized_user' };
      secret('authorized_user private key', account.private_key);
      await expectRefused(() => client.create(owner.token, org(), vertex(JSON.stringify(account))), 400, INVALID, ['credential.serviceAccountJson.type']);
    });

    it('whose private_key is not a PEM private key is refused naming credential.serviceAccountJson.private_key', async () => {
      const notPem = secret('not a pem', `MIIEv${randomText(60)}`);
      await expectRefused(() => client.create(owner.token, org(), vertex({ ...serviceAccount(), private_key: notPem })), 400, INVALID, ['credential.serviceAccountJson.private_key']);
      const garbledPem = secret('garbled pem', `-----BEGIN PRIVATE KEY-----\n${randomText(64)}\n-----END PRIVATE KEY-----\n`);
      await expectRefused(() => client.create(owner.token, org(), vertex({ ...serviceAccount(), private_key: garbledPem })), 400, INVALID, ['credential.serviceAccountJson.private_key']);
    });
  });

  it('changing the provider by an edit is refused naming provider, and the integration keeps its provider', async () => {
    await expectRefused(() => client.update(owner.token, existing.id, { provider: 'openai' }), 400, 'urn:keyway:problem:provider-immutable', ['provider']);
    expect((await client.get(owner.token, existing.id)).body.provider).toBe('anthropic');
    // Sending the current provider back (as a form that posts every field does) is not a change.
    const same = await client.update(owner.token, existing.id, { provider: 'anthropic', description: 'unchanged provider' });
    expect(same.status).toBe(200);
    expect(same.body.provider).toBe('anthropic');
  });

  it('rotating to a credential of the wrong shape is refused and keeps the current credential', async () => {
    await expectRefused(
      () => client.rotate(owner.token, existing.id, { accessKeyId: secret('rotate akid', `AKIA${randomText(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`), secretAccessKey: secret('rotate secret', randomText(40)), region: 'us-east-1' }),
      400,
      INVALID,
      ['credential.accessKeyId', 'credential.secretAccessKey', 'credential.region', 'credential.apiKey'],
    );
    expect((await client.get(owner.token, existing.id)).body.credential.fingerprint).toBe(existing.credential.fingerprint);
  });

  it('an unknown field is refused naming it', async () => {
    await expectRefused(() => client.create(owner.token, org(), valid({ apiKey: secret('top-level apiKey', openAiKey()) })), 400, VALIDATION, ['apiKey']);
  });

  it('no refusal echoed any secret that was sent', async () => {
    expect(Object.keys(sentSecrets).length).toBeGreaterThan(10);
    const refusals = client.exchanges.filter((e) => e.status >= 400).map((e) => e.text);
    expect(refusals.length).toBeGreaterThan(20);
    expect(findInText(refusals.join('\n'), { ...sentSecrets, existingKey }, 'refusals')).toEqual([]);
    expect(findInText(t.logs(), { ...sentSecrets, existingKey }, 'logs')).toEqual([]);
  });
});
