import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { FakeKmsServer } from '../../../src/platform/crypto/testing/fake-kms-server';
import { FakeProvider, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';
import { anthropicKey, bedrockCredential, IntegrationsClient, mergeNeedles, openAiKey, randomText, secretsOf, type Problem } from '../../support/integration-fixtures';
import { findInText, scanLogs } from '../../support/secret-scan';
import { createTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../../support/test-app';
import { signUp, type Account } from '../../support/world';

/**
 * Envelope encryption as an operator relies on it (DESIGN §6): a sealed credential opens only
 * on its own row and for its own purpose; every data key can be re-wrapped under a new master
 * key with one command, after which the old master key can be dropped; AWS KMS can hold the
 * key-encryption key instead of the keyring.
 */

jest.setTimeout(120_000);

type Sealed = { v: number; alg: string; kekId: string; wrappedKey: string; iv: string; tag: string; ciphertext: string };

async function sql<T = Record<string, unknown>>(t: TestApp, query: string, params: unknown[] = []): Promise<T[]> {
  return (await t.app.get(MikroORM).em.fork().getConnection().execute(query, params)) as T[];
}

const masterKey = () => randomBytes(32).toString('base64');

describe('credential encryption', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function fake<T extends FakeProvider>(started: Promise<T>): Promise<T> {
    const f = await started;
    cleanup.push(() => f.close());
    return f;
  }

  async function app(env: Record<string, string> = {}, db?: TestDatabase): Promise<TestApp> {
    const t = await startTestApp(env, db);
    cleanup.push(db ? t.stop : t.close);
    return t;
  }

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    cleanup.push(db.drop);
    return db;
  }

  describe('associated data', () => {
    let t: TestApp;
    let owner: Account;
    let client: IntegrationsClient;
    let openai: FakeProvider;
    const keyA = openAiKey();
    const keyB = openAiKey();
    const keyC = openAiKey();
    const headerValue = `hdr-${randomText(32)}`;
    beforeAll(async () => {
      openai = await startFakeOpenAI({ apiKeys: [keyA, keyB, keyC] });
      t = await startTestApp();
      owner = await signUp(t, 'aad-owner');
      client = new IntegrationsClient(t.baseUrl);
    });
    afterAll(async () => {
      await openai.close();
      await t.close();
    });
    beforeEach(() => openai.reset());

    const create = (providerSlug: string, apiKey: string, extra: Record<string, unknown> = {}) =>
      client.mustCreate(owner.token, owner.organizationId, { name: providerSlug, providerSlug, provider: 'openai', credential: { apiKey }, customHost: openai.baseUrl, ...extra });

    it('a credential copied onto another integration’s row cannot be opened there: testing it is a 503 credential-unreadable that reveals nothing', async () => {
      const a = await create('openai-a', keyA);
      const b = await create('openai-b', keyB);

      await sql(t, 'update integrations set credential = (select credential from integrations where id = ?) where id = ?', [a.id, b.id]);

      const probe = await client.send<Problem>('POST', `/api/integrations/${b.id}/test`, owner.token);
      expect(probe.status).toBe(503);
      expect(probe.contentType).toContain('application/problem+json');
      expect(probe.body).toMatchObject({ type: 'urn:keyway:problem:credential-unreadable', status: 503, detail: expect.stringMatching(/cannot be decrypted/) });
      expect(openai.requests).toHaveLength(0);

      // The ciphertext itself is intact: on its own row it still opens.
      const original = await client.test(owner.token, a.id);
      expect(original.body).toMatchObject({ ok: true, status: 200 });
      expect(openai.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${keyA}`]);

      expect(findInText(client.responseText(), { keyA, keyB }, 'responses')).toEqual([]);
      expect(scanLogs(t, { keyA, keyB })).toEqual([]);
    });

    it('custom auth headers sealed in the credential column of their own row cannot be opened as the credential', async () => {
      const i = await create('openai-headers', keyC, { customAuthHeaders: { 'X-Org-Key': headerValue } });

      await sql(t, 'update integrations set credential = custom_auth_headers where id = ?', [i.id]);

      const probe = await client.send<Problem>('POST', `/api/integrations/${i.id}/test`, owner.token);
      expect(probe.status).toBe(503);
      expect(probe.body.type).toBe('urn:keyway:problem:credential-unreadable');
      expect(openai.requests).toHaveLength(0);
      expect(findInText(client.responseText(), { keyC, headerValue }, 'responses')).toEqual([]);
      expect(scanLogs(t, { keyC, headerValue })).toEqual([]);
    });

    it('a credential whose ciphertext was altered in the database cannot be opened', async () => {
      const i = await create('openai-tampered', keyC);

      const [row] = await sql<{ credential: Sealed }>(t, 'select credential from integrations where id = ?', [i.id]);
      const bytes = Buffer.from(row.credential.ciphertext, 'base64');
      bytes[0] ^= 0x01;
      await sql(t, 'update integrations set credential = ?::jsonb where id = ?', [JSON.stringify({ ...row.credential, ciphertext: bytes.toString('base64') }), i.id]);

      const probe = await client.send<Problem>('POST', `/api/integrations/${i.id}/test`, owner.token);
      expect(probe.status).toBe(503);
      expect(probe.body.type).toBe('urn:keyway:problem:credential-unreadable');
      expect(openai.requests).toHaveLength(0);
    });
  });

  describe('re-wrapping under a new master key', () => {
    const REGISTER = resolve(__dirname, '../../support/register-typescript.cjs');
    const COMMAND = resolve(__dirname, '../../../src/cli/rewrap-keys.ts');

    /** `npm run keys:rewrap` from the sources, configured by `env` alone. */
    function rewrapCommand(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
      const { PATH, HOME, TMPDIR } = process.env;
      const child = spawn(process.execPath, ['-r', REGISTER, COMMAND], {
        env: { ...Object.fromEntries(Object.entries({ PATH, HOME, TMPDIR }).filter(([, v]) => v !== undefined)), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      return new Promise((done) => child.once('exit', (code) => done({ code, output })));
    }

    it('every data key is re-wrapped under the new master key by one idempotent command, after which the old key can be dropped', async () => {
      const k1 = `v1:${masterKey()}`;
      const k2 = `v2:${masterKey()}`;
      const openaiKey = openAiKey();
      const claudeKey = anthropicKey();
      const headerValue = `hdr-${randomText(32)}`;
      const bedrock = bedrockCredential(true);
      const openai = await fake(startFakeOpenAI({ apiKeys: [openaiKey] }));
      const anthropic = await fake(startFakeAnthropic({ apiKeys: [claudeKey] }));
      const db = await database();

      // 1. Integrations sealed under v1
      const first = await app({ KEYWAY_MASTER_KEYS: k1 }, db);
      const owner = await signUp(first, 'rewrap-owner');
      const client = new IntegrationsClient(first.baseUrl);
      const org = owner.organizationId;
      const created = [
        await client.mustCreate(owner.token, org, { name: 'OpenAI', providerSlug: 'openai-main', provider: 'openai', credential: { apiKey: openaiKey }, customHost: openai.baseUrl }),
        await client.mustCreate(owner.token, org, {
          name: 'OpenAI with headers',
          providerSlug: 'openai-headers',
          provider: 'openai',
          credential: { apiKey: openaiKey },
          customHost: openai.baseUrl,
          customAuthHeaders: { 'X-Org-Key': headerValue },
        }),
        await client.mustCreate(owner.token, org, { name: 'Anthropic', providerSlug: 'anthropic-main', provider: 'anthropic', credential: { apiKey: claudeKey }, customHost: anthropic.baseUrl }),
        await client.mustCreate(owner.token, org, { name: 'Bedrock', providerSlug: 'bedrock-main', provider: 'bedrock', credential: bedrock }),
      ];
      const kekIds = async (t: TestApp) =>
        (await sql<{ credential: string; headers: string | null }>(t, "select credential->>'kekId' as credential, custom_auth_headers->>'kekId' as headers from integrations order by provider_slug")).map((r) => [
          r.credential,
          r.headers,
        ]);
      expect(await kekIds(first)).toEqual([
        ['local:v1', null],
        ['local:v1', null],
        ['local:v1', 'local:v1'],
        ['local:v1', null],
      ]);
      await first.stop();

      // 2. Without v1 the credentials cannot be opened: the old key is still needed
      const v2Only = await app({ KEYWAY_MASTER_KEYS: k2 }, db);
      const tooEarly = await new IntegrationsClient(v2Only.baseUrl).send<Problem>('POST', `/api/integrations/${created[0].id}/test`, owner.token);
      expect(tooEarly.status).toBe(503);
      expect(tooEarly.body.type).toBe('urn:keyway:problem:unknown-master-key');
      await v2Only.stop();

      // 3. The command, with v2 added as the active key
      const env = { ...db.env, KEYWAY_MASTER_KEYS: `${k1},${k2}`, LOG_LEVEL: 'debug' };
      const run = await rewrapCommand(env);
      expect(run).toEqual({ code: 0, output: 're-wrapped 4, already under local:v2 0, rotated meanwhile 0, failed 0 (of 4 integrations)\n' });
      const again = await rewrapCommand(env);
      expect(again).toEqual({ code: 0, output: 're-wrapped 0, already under local:v2 4, rotated meanwhile 0, failed 0 (of 4 integrations)\n' });

      // 4. With only v2, every credential and header opens
      const last = await app({ KEYWAY_MASTER_KEYS: k2 }, db);
      expect(await kekIds(last)).toEqual([
        ['local:v2', null],
        ['local:v2', null],
        ['local:v2', 'local:v2'],
        ['local:v2', null],
      ]);
      const after = new IntegrationsClient(last.baseUrl);
      openai.reset();
      for (const integration of created.slice(0, 3)) {
        const probe = await after.test(owner.token, integration.id);
        expect({ slug: integration.providerSlug, ...probe.body }).toMatchObject({ slug: integration.providerSlug, ok: true, status: 200 });
      }
      expect(openai.requests.map((r) => r.headers['x-org-key'])).toEqual([undefined, headerValue]);
      expect(anthropic.requests.at(-1)!.headers['x-api-key']).toBe(claudeKey);
      // Bedrock has no probe: the check is refused as unsupported only once its credential has opened.
      const bedrockProbe = await after.send<Problem>('POST', `/api/integrations/${created[3].id}/test`, owner.token);
      expect(bedrockProbe.body.type).toBe('urn:keyway:problem:probe-unsupported');

      const secrets = mergeNeedles({ openaiKey, claudeKey, headerValue }, secretsOf('bedrock', bedrock));
      expect(findInText(`${run.output}${again.output}`, secrets, 'command output')).toEqual([]);
      expect(scanLogs(last, secrets)).toEqual([]);
      expect(findInText(client.responseText() + after.responseText(), secrets, 'responses')).toEqual([]);
    });
  });

  describe('AWS KMS', () => {
    const AWS_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'] as const;
    const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
    let kms: FakeKmsServer;
    let keyArn: string;
    let t: TestApp;
    let owner: Account;
    let client: IntegrationsClient;
    let openai: FakeProvider;
    const key = openAiKey();
    beforeAll(async () => {
      kms = await FakeKmsServer.start();
      keyArn = kms.createKey('alias/keyway');
      // The AWS SDK reads its credentials from the standard variables of this process.
      for (const name of AWS_VARIABLES) delete process.env[name];
      process.env.AWS_ACCESS_KEY_ID = kms.credentials.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = kms.credentials.secretAccessKey;
      openai = await startFakeOpenAI({ apiKeys: [key] });
      t = await startTestApp({ KEYWAY_KMS_KEY_ID: keyArn, KEYWAY_KMS_REGION: kms.region, KEYWAY_KMS_ENDPOINT: kms.endpoint });
      owner = await signUp(t, 'kms-owner');
      client = new IntegrationsClient(t.baseUrl);
    });
    afterAll(async () => {
      await t.close();
      await openai.close();
      await kms.close();
      for (const name of AWS_VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });
    beforeEach(() => {
      openai.reset();
      kms.calls.length = 0;
      kms.recover();
    });

    it('with the key-encryption key in AWS KMS, a credential is sealed through KMS and opens again to test ok', async () => {
      const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'OpenAI', providerSlug: 'openai-kms', provider: 'openai', credential: { apiKey: key }, customHost: openai.baseUrl });
      expect(kms.calls).toEqual([{ operation: 'Encrypt', keyArn }]);
      const [row] = await sql<{ kek: string }>(t, "select credential->>'kekId' as kek from integrations where id = ?", [integration.id]);
      expect(row.kek).toBe(`aws-kms:${keyArn}`);

      const probe = await client.test(owner.token, integration.id);
      expect(probe.body).toMatchObject({ ok: true, status: 200 });
      expect(openai.requests[0].headers.authorization).toBe(`Bearer ${key}`);
      expect(kms.calls.map((c) => c.operation)).toEqual(['Encrypt', 'Decrypt']);
      expect(scanLogs(t, { key, kmsSecret: kms.credentials.secretAccessKey })).toEqual([]);
    });

    it('when KMS refuses to decrypt, testing is a 503 that names neither the key nor the secret', async () => {
      const integration = await client.mustCreate(owner.token, owner.organizationId, { name: 'OpenAI', providerSlug: 'openai-kms-down', provider: 'openai', credential: { apiKey: key }, customHost: openai.baseUrl });

      kms.failWith('AccessDeniedException', 400);
      const probe = await client.send<Problem>('POST', `/api/integrations/${integration.id}/test`, owner.token);
      expect(probe.status).toBe(503);
      expect(probe.contentType).toContain('application/problem+json');
      expect(probe.body.type).toBe('urn:keyway:problem:key-encryption-unavailable');
      expect(openai.requests).toHaveLength(0);
      expect(findInText(probe.text, { key, kmsSecret: kms.credentials.secretAccessKey }, 'response')).toEqual([]);
      expect(scanLogs(t, { key, kmsSecret: kms.credentials.secretAccessKey })).toEqual([]);
    });
  });
});
