import { randomBytes } from 'node:crypto';
import { BatchingActivityWriter } from '../../src/modules/activity/application/batching-activity-writer';
import { anActivityEntry } from '../../src/modules/activity/testing/an-activity-entry';
import { ActivitySink } from '../../src/modules/routing/application/ports/activity-sink.port';
import type { TestApp } from './test-app';
import { bearer, type World } from './world';

/**
 * How the authorization matrix (test/e2e/foundation/authorization-matrix.e2e-spec.ts) fills
 * the path of every `@Authorize(action, { kind, param })` route. One entry per resource kind:
 * it creates (or picks) a resource of the world's organization, in scope of the world's
 * project. An issue that registers a new kind with the policy guard (integration, api-key,
 * virtual-model, …) adds its entry here, or the matrix fails naming the missing kind.
 */

export type ResourceFixture = {
  id: string;
  /** Who created it, for kinds with `own` rules: an actor who did not create it is refused. */
  createdByUserId?: string;
};

export type ResourceFixtureFactory = (t: TestApp, world: World) => Promise<ResourceFixture>;

export const RESOURCE_FIXTURES: Record<string, ResourceFixtureFactory> = {
  organization: async (_t, world) => ({ id: world.owner.organizationId }),
  'organization-projects': async (_t, world) => ({ id: world.owner.organizationId }),
  project: async (_t, world) => ({ id: world.projectId }),
  integration: async (t, world) => {
    const body = {
      name: 'Matrix Anthropic',
      providerSlug: `matrix-${randomBytes(4).toString('hex')}`,
      provider: 'anthropic',
      credential: { apiKey: 'sk-ant-api03-matrix-fixture-not-a-real-key' },
      projectScope: [world.projectId],
      // Connection refused at once: `POST /api/integrations/{id}/test` must not reach the real provider.
      customHost: 'http://127.0.0.1:9',
    };
    const { data, error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
      params: { path: { orgId: world.owner.organizationId } },
      body,
      ...bearer(world.owner.token),
    });
    if (!data) throw new Error(`integration fixture: create failed: ${JSON.stringify(error)}`);
    return { id: data.id };
  },
  'api-key': async (t, world) => {
    // Created by the project admin, so that the developer is someone who did not create it.
    const { data, error } = await t.api.POST('/api/projects/{projectId}/api-keys', {
      params: { path: { projectId: world.projectId } },
      body: { name: 'matrix key' },
      ...bearer(world.admin.token),
    });
    if (!data) throw new Error(`api-key fixture: create failed: ${JSON.stringify(error)}`);
    return { id: data.id, createdByUserId: world.admin.userId };
  },
  activity: async (t, world) => {
    // Recorded as the proxy would, then written at once and found by its request id.
    const requestId = `matrix-${randomBytes(6).toString('hex')}`;
    t.app.get(ActivitySink).record(anActivityEntry({ requestId, organizationId: world.owner.organizationId, projectId: world.projectId }));
    await t.app.get(BatchingActivityWriter).flush();
    const { data, error } = await t.api.GET('/api/projects/{projectId}/activity', {
      params: { path: { projectId: world.projectId }, query: { requestId } },
      ...bearer(world.owner.token),
    });
    const record = data?.items[0];
    if (!record) throw new Error(`activity fixture: record not found: ${JSON.stringify(error)}`);
    return { id: record.id };
  },
  'virtual-model': async (t, world) => {
    const integration = await RESOURCE_FIXTURES.integration(t, world);
    const slug = await t.api.GET('/api/integrations/{id}', { params: { path: { id: integration.id } }, ...bearer(world.owner.token) });
    if (!slug.data) throw new Error(`virtual-model fixture: integration lookup failed: ${JSON.stringify(slug.error)}`);
    const { data, error } = await t.api.POST('/api/projects/{projectId}/virtual-models', {
      params: { path: { projectId: world.projectId } },
      body: { name: `matrix-${randomBytes(4).toString('hex')}`, targets: [{ providerSlug: slug.data.providerSlug, model: 'anthropic/claude-sonnet-4-5' }] },
      ...bearer(world.owner.token),
    });
    if (!data) throw new Error(`virtual-model fixture: create failed: ${JSON.stringify(error)}`);
    return { id: data.id };
  },
  'gateway-config': async (t, world) => {
    const { data, error } = await t.api.POST('/api/projects/{projectId}/gateway-configs', {
      params: { path: { projectId: world.projectId } },
      body: { name: `matrix-${randomBytes(4).toString('hex')}`, strategy: 'fallback', retry: { attempts: 2, onStatus: [429, 503] }, timeoutMs: 30_000 },
      ...bearer(world.owner.token),
    });
    if (!data) throw new Error(`gateway-config fixture: create failed: ${JSON.stringify(error)}`);
    return { id: data.id };
  },
};

/**
 * Kinds that belong to the organization as a whole: project roles count for nothing on them
 * (a project admin acts there as a plain `member`). Every other kind is in scope of the
 * world's project.
 */
export const ORGANIZATION_WIDE_KINDS: ReadonlySet<string> = new Set(['organization']);

/**
 * Kinds whose id names a container (the organization, the project), not one object with a
 * creator: an `own` rule lets the actor in (the handler shows only what they created). On
 * every other kind an `own` rule is checked against the fixture's `createdByUserId`.
 */
export const COLLECTION_KINDS: ReadonlySet<string> = new Set(['organization', 'organization-projects', 'project']);

/** Path parameters that are not the route's resource, by name. */
export const PATH_PARAMS: Record<string, (world: World) => string> = {
  /** The project of a nested resource (`/api/projects/{projectId}/api-keys/{keyId}`): fixtures create theirs in it. */
  projectId: (world) => world.projectId,
  /** No such custom model: the guard is what is checked, and the handler answers its own custom-model-not-found. */
  modelSlug: () => 'matrix-no-such-model',
  /** An organization member with no project role: changing or removing them touches no other actor of the world. */
  userId: (world) => world.member.userId,
};
