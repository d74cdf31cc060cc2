import {
  anthropicKey,
  azureCredential,
  bedrockCredential,
  IntegrationsClient,
  openAiKey,
  randomText,
  secretsOf,
  serviceAccount,
  vertexCredential,
  type AnyCredential,
  type AzureCredential,
  type BedrockCredential,
  type IntegrationView,
  type Problem,
  type ServiceAccount,
  type VertexCredential,
} from '../../support/integration-fixtures';
import { findInText } from '../../support/secret-scan';
import { startTestApp, type TestApp } from '../../support/test-app';
import { signUp, type Account } from '../../support/world';

/**
 * An owner's whole life with an integration of every credential shape (DESIGN §4): attach it,
 * read it back, list it, rotate it, delete it. What comes back is a mask and a fingerprint,
 * never the secret: every response body of the flow is searched for every secret.
 */

jest.setTimeout(60_000);

const FINGERPRINT = /^fp_[0-9a-f]{12}$/;

type Shape = {
  title: string;
  provider: string;
  credential: () => AnyCredential;
  headers?: () => Record<string, string>;
  mask: (credential: AnyCredential) => string | RegExp;
  details: (credential: AnyCredential) => Record<string, unknown>;
};

const last3 = (value: string) => value.slice(-3);

function accountOf(credential: AnyCredential): ServiceAccount {
  const json = (credential as VertexCredential).serviceAccountJson;
  return typeof json === 'string' ? (JSON.parse(json) as ServiceAccount) : json;
}

const SHAPES: Shape[] = [
  {
    title: 'an OpenAI API key with custom auth headers',
    provider: 'openai',
    credential: () => ({ apiKey: openAiKey() }),
    headers: () => ({ 'X-Org-Key': `hdr-${randomText(32)}`, 'OpenAI-Project': `proj_${randomText(24)}` }),
    mask: (c) => `sk-proj-••••${last3((c as { apiKey: string }).apiKey)}`,
    details: () => ({}),
  },
  {
    title: 'an Anthropic API key',
    provider: 'anthropic',
    credential: () => ({ apiKey: anthropicKey() }),
    mask: (c) => `sk-ant-••••${last3((c as { apiKey: string }).apiKey)}`,
    details: () => ({}),
  },
  {
    title: 'a Vertex AI service account',
    provider: 'vertex-ai',
    credential: () => vertexCredential(serviceAccount()),
    mask: (c) => `${accountOf(c).client_email} (key ${accountOf(c).private_key_id.slice(0, 8)}…)`,
    details: (c) => ({
      clientEmail: accountOf(c).client_email,
      keyId: `${accountOf(c).private_key_id.slice(0, 8)}…`,
      region: 'us-central1',
      projectId: accountOf(c).project_id,
    }),
  },
  {
    title: 'an Azure OpenAI resource with a named deployment and an endpoint URL deployment with its own key',
    provider: 'azure-openai',
    credential: () => azureCredential(`contoso-${randomText(6, 'abcdefghijklmnopqrstuvwxyz')}`),
    mask: (c) => `${(c as AzureCredential).resourceName}: ••••${last3((c as AzureCredential).apiKey)}`,
    details: (c) => {
      const azure = c as AzureCredential;
      return {
        resourceName: azure.resourceName,
        apiVersion: '2024-10-21',
        deployments: [
          { modelSlug: 'gpt-4o', deploymentName: 'gpt4o-prod', endpointUrl: null, apiKey: null },
          { modelSlug: 'gpt-4o-mini', deploymentName: null, endpointUrl: azure.deployments[1].endpointUrl, apiKey: `••••${last3(azure.deployments[1].apiKey!)}` },
        ],
      };
    },
  },
  {
    title: 'temporary AWS Bedrock credentials with a session token',
    provider: 'bedrock',
    credential: () => bedrockCredential(true),
    // The access key id is masked like a key: at most its AKIA/ASIA prefix and its last 3 characters show.
    mask: (c) => new RegExp(`^(ASIA)?••••${last3((c as BedrockCredential).accessKeyId)}$`),
    details: () => ({ region: 'us-east-1', temporary: true }),
  },
];

describe('integration lifecycle', () => {
  let t: TestApp;
  let owner: Account;
  let client: IntegrationsClient;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t, 'lifecycle-owner');
    client = new IntegrationsClient(t.baseUrl);
  });
  afterAll(() => t.close());

  function expectMask(view: IntegrationView, expected: string | RegExp): void {
    if (typeof expected === 'string') expect(view.credential.mask).toBe(expected);
    else expect(view.credential.mask).toMatch(expected);
  }

  it.each(SHAPES)('an owner attaches, views, lists, rotates and deletes $title, and no response ever shows a secret', async (shape) => {
    const first = shape.credential();
    const second = shape.credential();
    const headers = shape.headers?.();
    const slug = `${shape.provider}-${randomText(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const org = owner.organizationId;
    const flowStart = client.exchanges.length;

    // Attach
    const created = await client.create(owner.token, org, {
      name: `${shape.provider} production`,
      providerSlug: slug,
      provider: shape.provider,
      description: 'attached by the lifecycle suite',
      credential: first,
      ...(headers ? { customAuthHeaders: headers } : {}),
    });
    expect(created.status).toBe(201);
    const integration = created.body;
    expect(integration).toMatchObject({
      organizationId: org,
      providerSlug: slug,
      provider: shape.provider,
      projectScope: 'all',
      status: 'active',
      customAuthHeaders: headers ? Object.keys(headers).sort() : [],
      health: { status: 'healthy', consecutiveFailures: 0, lastError: null },
    });
    expectMask(integration, shape.mask(first));
    expect(integration.credential.fingerprint).toMatch(FINGERPRINT);
    expect(integration.credential.details).toEqual(shape.details(first));

    // View and list show the same masked record
    const got = await client.get(owner.token, integration.id);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(integration);
    const listed = await client.list(owner.token, org);
    expect(listed.status).toBe(200);
    expect(listed.body.find((i) => i.id === integration.id)).toEqual(integration);

    // Rotate: a new mask and a new fingerprint, everything else kept
    const rotated = await client.rotate(owner.token, integration.id, second);
    expect(rotated.status).toBe(200);
    expectMask(rotated.body, shape.mask(second));
    expect(rotated.body.credential.fingerprint).toMatch(FINGERPRINT);
    expect(rotated.body.credential.fingerprint).not.toBe(integration.credential.fingerprint);
    expect(rotated.body.credential.details).toEqual(shape.details(second));
    expect(rotated.body).toMatchObject({ providerSlug: slug, provider: shape.provider, customAuthHeaders: integration.customAuthHeaders });
    const afterRotation = await client.get(owner.token, integration.id);
    expect(afterRotation.body).toEqual(rotated.body);

    // Delete: gone from view and list
    const deleted = await client.delete(owner.token, integration.id);
    expect(deleted.status).toBe(204);
    const gone = await client.send<Problem>('GET', `/api/integrations/${integration.id}`, owner.token);
    expect(gone.status).toBe(404);
    expect(gone.contentType).toContain('application/problem+json');
    expect(gone.body.type).toBe('urn:keyway:problem:not-found');
    const listedAfter = await client.list(owner.token, org);
    expect(listedAfter.body.map((i) => i.id)).not.toContain(integration.id);

    // The audit trail tells the story with fingerprints only
    const audit = await client.audit(owner.token, org, integration.id);
    expect(audit.status).toBe(200);
    expect(audit.body.events.map((e) => [e.action, e.actorUserId, e.integrationSlug])).toEqual([
      ['integration.deleted', owner.userId, slug],
      ['integration.credential_rotated', owner.userId, slug],
      ['integration.created', owner.userId, slug],
    ]);
    expect(audit.body.events[2].details).toMatchObject({ fingerprint: integration.credential.fingerprint });
    expect(audit.body.events[1].details).toMatchObject({ previousFingerprint: integration.credential.fingerprint, fingerprint: rotated.body.credential.fingerprint });

    // Not one response of the flow carries a secret
    const bodies = client.exchanges.slice(flowStart).map((e) => e.text).join('\n');
    expect(client.exchanges.length - flowStart).toBe(9);
    const secrets = { ...secretsOf('first', first, headers), ...secretsOf('second', second) };
    expect(Object.keys(secrets).length).toBeGreaterThan(0);
    expect(findInText(bodies, secrets, 'responses')).toEqual([]);
  });

  it('the same key attached twice has the same fingerprint; rotating away changes it and rotating back restores it', async () => {
    const key = openAiKey();
    const org = owner.organizationId;
    const a = await client.mustCreate(owner.token, org, { name: 'OpenAI A', providerSlug: 'openai-same-a', provider: 'openai', credential: { apiKey: key } });
    const b = await client.mustCreate(owner.token, org, { name: 'OpenAI B', providerSlug: 'openai-same-b', provider: 'openai', credential: { apiKey: key } });
    expect(b.credential.fingerprint).toBe(a.credential.fingerprint);
    expect(b.credential.mask).toBe(a.credential.mask);

    const away = await client.rotate(owner.token, a.id, { apiKey: openAiKey() });
    expect(away.body.credential.fingerprint).not.toBe(a.credential.fingerprint);
    const back = await client.rotate(owner.token, a.id, { apiKey: key });
    expect(back.body.credential.fingerprint).toBe(a.credential.fingerprint);
    expect(findInText(client.responseText(), { key }, 'responses')).toEqual([]);
  });

  it('a service-account file pasted as text or sent as a JSON object is the same credential, with the same fingerprint', async () => {
    const account = serviceAccount();
    const org = owner.organizationId;
    const asText = await client.mustCreate(owner.token, org, { name: 'Vertex text', providerSlug: 'vertex-as-text', provider: 'vertex-ai', credential: vertexCredential(account, true) });
    const asObject = await client.mustCreate(owner.token, org, { name: 'Vertex object', providerSlug: 'vertex-as-object', provider: 'vertex-ai', credential: vertexCredential(account, false) });
    expect(asObject.credential.fingerprint).toBe(asText.credential.fingerprint);
    expect(asObject.credential.mask).toBe(asText.credential.mask);
    expect(findInText(client.responseText(), secretsOf('vertex', vertexCredential(account)), 'responses')).toEqual([]);
  });

  it('long-term AWS keys (AKIA…, no session token) are shown as not temporary', async () => {
    const credential = bedrockCredential(false);
    const created = await client.mustCreate(owner.token, owner.organizationId, { name: 'Bedrock', providerSlug: 'bedrock-long-term', provider: 'bedrock', credential });
    expect(created.credential.details).toEqual({ region: 'us-east-1', temporary: false });
    expect(created.credential.mask).toMatch(new RegExp(`^(AKIA)?••••${last3(credential.accessKeyId)}$`));
    expect(findInText(client.responseText(), secretsOf('bedrock', credential), 'responses')).toEqual([]);
  });
});
