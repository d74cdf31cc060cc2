import { FakeProvider, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';
import {
  anthropicKey,
  azureCredential,
  bedrockCredential,
  IntegrationsClient,
  mergeNeedles,
  openAiKey,
  randomText,
  secretsOf,
  serviceAccount,
  vertexCredential,
  type IntegrationView,
} from '../../support/integration-fixtures';
import { findInText, scanDatabase, scanDirectory, scanLogs, type Needles } from '../../support/secret-scan';
import { startTestApp, TEST_SERVER_URL, type TestApp } from '../../support/test-app';
import { signUp, type Account } from '../../support/world';

/**
 * Plaintext never reaches the database, the data folder or a log line (DESIGN §6). After an
 * owner has attached credentials of every shape, tested them (one with a wrong key the provider
 * echoes), rotated some, changed custom headers, deleted some and had some refused, every
 * place is searched for every secret that was ever sent.
 */

jest.setTimeout(120_000);

describe('secrets at rest', () => {
  let t: TestApp;
  let owner: Account;
  let client: IntegrationsClient;
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  let secrets: Needles;
  let kept: IntegrationView[];
  const marker = `Marker ${randomText(24)}`;

  beforeAll(async () => {
    const keys = { openaiFirst: openAiKey(), openaiSecond: openAiKey(), openaiWrong: openAiKey(), anthropic: anthropicKey() };
    const headers = { first: { 'X-Org-Key': `hdr-${randomText(32)}` }, second: { 'X-Org-Key': `hdr-${randomText(32)}` } };
    const vertex = [vertexCredential(serviceAccount()), vertexCredential(serviceAccount(), false)];
    const azure = azureCredential();
    const bedrock = [bedrockCredential(true), bedrockCredential(false)];
    const refused = { apiKey: `sk-proj-${randomText(20)} ${randomText(20)}`, aws: bedrockCredential(true) };
    secrets = mergeNeedles(
      secretsOf('openai first', { apiKey: keys.openaiFirst }, headers.first),
      secretsOf('openai second', { apiKey: keys.openaiSecond }, headers.second),
      secretsOf('openai wrong', { apiKey: keys.openaiWrong }),
      secretsOf('anthropic', { apiKey: keys.anthropic }),
      secretsOf('vertex first', vertex[0]),
      secretsOf('vertex second', vertex[1]),
      secretsOf('azure', azure),
      secretsOf('bedrock first', bedrock[0]),
      secretsOf('bedrock second', bedrock[1]),
      secretsOf('refused api key', { apiKey: refused.apiKey }),
      secretsOf('refused bedrock', refused.aws),
    );

    openai = await startFakeOpenAI({ apiKeys: [keys.openaiFirst, keys.openaiSecond] });
    anthropic = await startFakeAnthropic({ apiKeys: [keys.anthropic] });
    t = await startTestApp();
    owner = await signUp(t, 'scan-owner');
    client = new IntegrationsClient(t.baseUrl);
    const org = owner.organizationId;
    const create = (body: Record<string, unknown>) => client.mustCreate(owner.token, org, body);
    const expectOk = async (sent: Promise<{ status: number; text: string }>, status = 200) => {
      const { status: got, text } = await sent;
      if (got !== status) throw new Error(`expected ${status}, got ${got}: ${text}`);
    };

    // OpenAI with custom headers: tested, rotated, headers replaced, tested again; kept
    const main = await create({ name: marker, providerSlug: 'openai-main', provider: 'openai', credential: { apiKey: keys.openaiFirst }, customHost: openai.baseUrl, customAuthHeaders: headers.first });
    await expectOk(client.test(owner.token, main.id));
    await expectOk(client.rotate(owner.token, main.id, { apiKey: keys.openaiSecond }));
    await expectOk(client.update(owner.token, main.id, { customAuthHeaders: headers.second, description: 'rotated' }));
    await expectOk(client.test(owner.token, main.id));
    // OpenAI with a wrong key the provider echoes: failing, kept
    const wrong = await create({ name: 'OpenAI wrong', providerSlug: 'openai-wrong', provider: 'openai', credential: { apiKey: keys.openaiWrong }, customHost: openai.baseUrl });
    const probe = await client.test(owner.token, wrong.id);
    if (probe.body.ok !== false || probe.body.status !== 401) throw new Error(`the wrong key was not refused: ${probe.text}`);
    // Anthropic: tested, then deleted
    const claude = await create({ name: 'Anthropic', providerSlug: 'anthropic-main', provider: 'anthropic', credential: { apiKey: keys.anthropic }, customHost: anthropic.baseUrl });
    await expectOk(client.test(owner.token, claude.id));
    await expectOk(client.delete(owner.token, claude.id), 204);
    // Vertex: rotated to another service account, kept
    const gcp = await create({ name: 'Vertex', providerSlug: 'vertex-main', provider: 'vertex-ai', credential: vertex[0] });
    await expectOk(client.rotate(owner.token, gcp.id, vertex[1]));
    // Azure: deleted
    const az = await create({ name: 'Azure', providerSlug: 'azure-main', provider: 'azure-openai', credential: azure });
    await expectOk(client.delete(owner.token, az.id), 204);
    // Bedrock: rotated from temporary to long-term keys, kept
    const aws = await create({ name: 'Bedrock', providerSlug: 'bedrock-main', provider: 'bedrock', credential: bedrock[0] });
    await expectOk(client.rotate(owner.token, aws.id, bedrock[1]));
    // Refused attempts
    await expectOk(client.create(owner.token, org, { name: 'Bad', providerSlug: 'openai-bad', provider: 'openai', credential: { apiKey: refused.apiKey } }), 400);
    await expectOk(client.create(owner.token, org, { name: 'Bad', providerSlug: 'bedrock-bad', provider: 'anthropic', credential: refused.aws }), 400);

    kept = (await client.list(owner.token, org)).body;
  });
  afterAll(async () => {
    await t.close();
    await openai.close();
    await anthropic.close();
  });

  it('the flow left four integrations, and every secret of it is among the needles', () => {
    expect(kept.map((i) => i.providerSlug).sort()).toEqual(['bedrock-main', 'openai-main', 'openai-wrong', 'vertex-main']);
    expect(kept.find((i) => i.providerSlug === 'openai-wrong')!.health.status).toBe('failing');
    expect(Object.keys(secrets).length).toBeGreaterThan(60);
  });

  it('no text, varchar or JSON column of any table holds any secret', async () => {
    const scan = await scanDatabase(t, secrets);
    expect(scan.hits).toEqual([]);
    expect(scan.columns).toEqual(
      expect.arrayContaining(['integrations.credential', 'integrations.custom_auth_headers', 'integrations.credential_summary', 'integrations.health', 'audit_events.details']),
    );
    // The scan does read those columns: values that are meant to be there are found.
    const vertex = kept.find((i) => i.providerSlug === 'vertex-main')!;
    const control = await scanDatabase(t, { marker, mask: vertex.credential.mask, fingerprint: vertex.credential.fingerprint });
    expect(control.hits).toEqual(
      expect.arrayContaining([
        { needle: 'marker', where: 'integrations.name' },
        { needle: 'mask', where: 'integrations.credential_summary' },
        { needle: 'fingerprint', where: 'audit_events.details' },
      ]),
    );
  });

  it('no log line holds any secret', () => {
    expect(scanLogs(t, secrets)).toEqual([]);
    // The logs were captured at debug level and cover the flow.
    const main = kept.find((i) => i.providerSlug === 'openai-main')!;
    expect(findInText(t.logs(), { url: `/api/integrations/${main.id}/credential` }, 'logs')).toEqual([{ needle: 'url', where: 'logs' }]);
  });

  it('no response of the flow held any secret', () => {
    expect(client.exchanges.length).toBeGreaterThan(15);
    expect(findInText(client.responseText(), secrets, 'responses')).toEqual([]);
  });

  if (!TEST_SERVER_URL) {
    it('no file of the embedded data folder holds any secret, byte for byte', async () => {
      await t.stop();
      const scan = scanDirectory(t.dataDir, secrets);
      expect(scan.hits).toEqual([]);
      expect(scan.files).toBeGreaterThan(100);
      // The database's own files are among them: the integration's name is found on disk.
      expect(scanDirectory(t.dataDir, { marker }).hits.length).toBeGreaterThan(0);
    });
  }
});
