import { randomBytes } from 'node:crypto';
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
