import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startAppProcess } from '../../support/app-process';
import { createTestDatabase, startTestApp, TEST_SERVER_URL, type TestApp, type TestDatabase } from '../../support/test-app';
import { bearer, PASSWORD, uniqueEmail } from '../../support/world';

/**
 * Keyway's database across restarts and instances: the embedded default (PGlite in the data
 * folder, one instance) and, with KEYWAY_TEST_DATABASE_URL, a PostgreSQL server.
 */

// A second process boots the whole app from TypeScript sources: slow while another suite runs beside it.
jest.setTimeout(120_000);

describe('database across restarts and instances', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    cleanup.push(db.drop);
    return db;
  }

  async function app(db: TestDatabase): Promise<TestApp> {
    const t = await startTestApp({ LOG_LEVEL: 'warn' }, db);
    cleanup.push(t.stop);
    return t;
  }

  it('an account, its organization and its token survive a restart', async () => {
    const db = await database();
    const first = await app(db);
    const email = uniqueEmail('durable');
    const signup = await first.api.POST('/api/auth/signup', { body: { email, password: PASSWORD, name: 'Durable', organizationName: 'Durable Ltd' } });
    expect(signup.response.status).toBe(201);
    const token = signup.data!.accessToken;
    await first.stop();

    const second = await app(db);
    const login = await second.api.POST('/api/auth/login', { body: { email, password: PASSWORD } });
    expect(login.response.status).toBe(200);
    const me = await second.api.GET('/api/me', bearer(token));
    expect(me.response.status).toBe(200);
    expect(me.data!.user.email).toBe(email);
    expect(me.data!.organizations).toEqual([{ organization: signup.data!.organization, role: 'owner' }]);

    // The embedded default keeps its generated signing secret in the data folder, readable by its owner only;
    // with JWT_SECRET configured (as on PostgreSQL, where it is required) no secret is written there.
    const secretFile = join(db.dataDir, 'jwt-secret');
    expect(existsSync(secretFile)).toBe(!TEST_SERVER_URL);
    if (existsSync(secretFile)) expect(statSync(secretFile).mode & 0o777).toBe(0o600);
  });

  if (!TEST_SERVER_URL) {
    it('while an instance runs on the embedded data folder, a second is refused because the folder is in use', async () => {
      const db = await database();
      const running = await startAppProcess(db.env);
      cleanup.push(running.stop);
      const email = uniqueEmail('first-instance');
      const signup = await fetch(`${running.baseUrl}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD, name: 'First', organizationName: 'First Ltd' }),
      });
      expect(signup.status).toBe(201);
      const { accessToken } = (await signup.json()) as { accessToken: string };

      const refused = startTestApp({ LOG_LEVEL: 'warn' }, db);
      await expect(refused).rejects.toMatchObject({ name: 'DataDirInUse', message: expect.stringContaining(`already used by process ${running.pid}`) });
      await expect(refused).rejects.toThrow(db.dataDir);
      expect((await fetch(`${running.baseUrl}/health/ready`)).status).toBe(200);

      await running.stop();
      const next = await app(db);
      expect((await next.api.POST('/api/auth/login', { body: { email, password: PASSWORD } })).response.status).toBe(200);
      expect((await next.api.GET('/api/me', bearer(accessToken))).data?.user.email).toBe(email);
    });
  } else {
    it('two instances on one PostgreSQL database both start and serve the same accounts', async () => {
      const db = await database();
      const one = await app(db);
      const two = await app(db);
      for (const t of [one, two]) expect((await fetch(`${t.baseUrl}/health/ready`)).status).toBe(200);

      const email = uniqueEmail('shared');
      const signup = await one.api.POST('/api/auth/signup', { body: { email, password: PASSWORD, name: 'Shared', organizationName: 'Shared Ltd' } });
      expect(signup.response.status).toBe(201);
      expect((await two.api.POST('/api/auth/login', { body: { email, password: PASSWORD } })).response.status).toBe(200);
      expect((await two.api.GET('/api/me', bearer(signup.data!.accessToken))).data?.user.email).toBe(email);
    });
  }
});
