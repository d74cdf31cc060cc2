import { randomUUID } from 'node:crypto';
import { FakeProvider, startFakeOpenAI } from '../../support/fake-providers';
import { IntegrationsClient, openAiKey, secretsOf, type IntegrationView, type Problem } from '../../support/integration-fixtures';
import { findInText } from '../../support/secret-scan';
import { startTestApp, type TestApp } from '../../support/test-app';
import { buildWorld, createProject, type World } from '../../support/world';

/**
 * Who may do what with integrations (DESIGN §2): only the organization owner creates, edits,
 * rotates, deletes and tests them; project admins and developers see those in scope of their
 * projects, masked; another organization cannot even tell they exist.
 */

jest.setTimeout(60_000);

describe('integration roles', () => {
  let t: TestApp;
  let w: World;
  let client: IntegrationsClient;
  let openai: FakeProvider;
  let shared: IntegrationView;
  let ours: IntegrationView;
  let theirs: IntegrationView;
  const keys = { shared: openAiKey(), ours: openAiKey(), theirs: openAiKey(), attempted: openAiKey() };
  const needles = { ...secretsOf('shared', { apiKey: keys.shared }), ...secretsOf('ours', { apiKey: keys.ours }), ...secretsOf('theirs', { apiKey: keys.theirs }), ...secretsOf('attempted', { apiKey: keys.attempted }) };

  beforeAll(async () => {
    openai = await startFakeOpenAI({ apiKeys: Object.values(keys) });
    t = await startTestApp();
    w = await buildWorld(t);
    client = new IntegrationsClient(t.baseUrl);
    const otherProject = await createProject(t, w.owner, 'other-project');
    const create = (providerSlug: string, apiKey: string, projectScope: 'all' | string[]) =>
      client.mustCreate(w.owner.token, w.owner.organizationId, { name: providerSlug, providerSlug, provider: 'openai', credential: { apiKey }, projectScope, customHost: openai.baseUrl });
    shared = await create('openai-shared', keys.shared, 'all');
    ours = await create('openai-ours', keys.ours, [w.projectId]);
    theirs = await create('openai-theirs', keys.theirs, [otherProject]);
  });
  afterAll(async () => {
    await t.close();
    await openai.close();
  });

  const org = () => w.owner.organizationId;
  async function ownerView(id: string): Promise<IntegrationView> {
    return (await client.get(w.owner.token, id)).body;
  }

  function expectProblem(sent: { status: number; contentType: string; body: unknown }, status: number, type: string): void {
    expect({ status: sent.status, type: (sent.body as Problem).type }).toEqual({ status, type });
    expect(sent.contentType).toContain('application/problem+json');
  }

  describe.each([
    ['project admin', () => w.admin],
    ['developer', () => w.developer],
  ])('a %s', (_role, actor) => {
    it('cannot create an integration (403), and none is created', async () => {
      const before = (await client.list(w.owner.token, org())).body;
      const sent = await client.create(actor().token, org(), { name: 'Mine', providerSlug: 'openai-mine', provider: 'openai', credential: { apiKey: keys.attempted }, projectScope: [w.projectId] });
      expectProblem(sent, 403, 'urn:keyway:problem:forbidden');
      expect((await client.list(w.owner.token, org())).body).toEqual(before);
    });

    it('cannot edit, rotate, delete or test an integration of its own project (403), and it stays as it was', async () => {
      const before = await ownerView(ours.id);
      openai.reset();
      expectProblem(await client.update(actor().token, ours.id, { name: 'renamed', weight: 5 }), 403, 'urn:keyway:problem:forbidden');
      expectProblem(await client.rotate(actor().token, ours.id, { apiKey: keys.attempted }), 403, 'urn:keyway:problem:forbidden');
      expectProblem(await client.delete(actor().token, ours.id), 403, 'urn:keyway:problem:forbidden');
      expectProblem(await client.test(actor().token, ours.id), 403, 'urn:keyway:problem:forbidden');
      expect(openai.requests).toHaveLength(0);
      expect(await ownerView(ours.id)).toEqual(before);
      const audit = await client.audit(w.owner.token, org(), ours.id);
      expect(audit.body.events.map((e) => [e.action, e.actorUserId])).toEqual([['integration.created', w.owner.userId]]);
    });

    it('lists only the integrations in scope of its project, masked', async () => {
      const listed = await client.list(actor().token, org());
      expect({ status: listed.status, body: listed.body }).toMatchObject({ status: 200 });
      expect(listed.body.map((i) => i.providerSlug).sort()).toEqual(['openai-ours', 'openai-shared']);
      expect(listed.body.find((i) => i.id === ours.id)).toEqual(await ownerView(ours.id));
      for (const i of listed.body) expect(i.credential.mask).toMatch(/^sk-proj-••••.{3}$/);
      expect(findInText(listed.text, needles, 'list')).toEqual([]);
    });

    it('views an integration in scope of its project, masked, but not one scoped to another project (403)', async () => {
      const inScope = await client.get(actor().token, ours.id);
      expect(inScope.status).toBe(200);
      expect(inScope.body.credential.mask).toBe(ours.credential.mask);
      const everyProject = await client.get(actor().token, shared.id);
      expect(everyProject.status).toBe(200);
      expectProblem(await client.get(actor().token, theirs.id), 403, 'urn:keyway:problem:forbidden');
      expect(findInText(inScope.text + everyProject.text, needles, 'view')).toEqual([]);
    });
  });

  describe("another organization's owner", () => {
    it('gets 404 on every route of an integration, exactly as for one that does not exist, and changes nothing', async () => {
      const outsider = w.outsider;
      const missing = randomUUID();
      const before = await ownerView(ours.id);
      openai.reset();
      const attempts = (id: string) => [
        client.get(outsider.token, id),
        client.update(outsider.token, id, { name: 'taken over' }),
        client.rotate(outsider.token, id, { apiKey: keys.attempted }),
        client.test(outsider.token, id),
        client.delete(outsider.token, id),
      ];
      const real = await Promise.all(attempts(ours.id));
      const absent = await Promise.all(attempts(missing));
      real.forEach((sent, i) => {
        expectProblem(sent, 404, 'urn:keyway:problem:not-found');
        const { type, title, status, detail } = sent.body as unknown as Problem;
        const other = absent[i].body as unknown as Problem;
        expect({ type, title, status, detail }).toEqual({ type: other.type, title: other.title, status: other.status, detail: other.detail });
      });
      expect(openai.requests).toHaveLength(0);
      expect(await ownerView(ours.id)).toEqual(before);
    });

    it("gets 404 on the organization's integration list and cannot create one in it", async () => {
      expectProblem(await client.list(w.outsider.token, org()), 404, 'urn:keyway:problem:not-found');
      const before = (await client.list(w.owner.token, org())).body;
      expectProblem(await client.create(w.outsider.token, org(), { name: 'Intruder', providerSlug: 'openai-intruder', provider: 'openai', credential: { apiKey: keys.attempted } }), 404, 'urn:keyway:problem:not-found');
      expect((await client.list(w.owner.token, org())).body).toEqual(before);
      // Its own organization's list is empty: nothing leaked across.
      expect((await client.list(w.outsider.token, w.outsider.organizationId)).body).toEqual([]);
    });
  });

  it('the owner sees every integration of the organization, and no response of this suite carried a secret', async () => {
    const listed = await client.list(w.owner.token, org());
    expect(listed.body.map((i) => i.providerSlug).sort()).toEqual(['openai-ours', 'openai-shared', 'openai-theirs']);
    expect(findInText(client.responseText(), needles, 'responses')).toEqual([]);
  });
});
