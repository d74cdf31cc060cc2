import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiNotFoundResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Action, Decision, ResourceScope } from './policy';
import type { Actor } from './actor';

export const ACCESS_KEY = 'keyway:access';

/** The route's resource: which kind of object, named by which path parameter. */
export type ResourceRef = { kind: string; param: string };

export type Access = { mode: 'public' } | { mode: 'authenticated' } | { mode: 'authorize'; action: Action; resource: ResourceRef };

/** No authentication (signup, login, health, the proxy's own API-key auth). */
export const Public = () => applyDecorators(SetMetadata(ACCESS_KEY, { mode: 'public' } satisfies Access), ApiExtension('x-keyway-policy', { public: true }));

/** Any signed-in user; the use case decides what they see. */
export const Authenticated = () =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { mode: 'authenticated' } satisfies Access),
    ApiBearerAuth('jwt'),
    ApiExtension('x-keyway-policy', { authenticated: true }),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token.' }),
  );

/** Checked by the policy guard against POLICY before the handler runs. */
export const Authorize = (action: Action, resource: ResourceRef) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { mode: 'authorize', action, resource } satisfies Access),
    ApiBearerAuth('jwt'),
    ApiExtension('x-keyway-policy', { action, resource: resource.kind, param: resource.param }),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token.' }),
    ApiForbiddenResponse({ description: `Your role does not allow \`${action}\`.` }),
    ApiNotFoundResponse({ description: 'No such resource in your organizations.' }),
  );

export type Authorization = { decision: Decision; scope: ResourceScope };

export type AuthenticatedRequest = Request & { user?: Actor; authorization?: Authorization };

/** The signed-in actor. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});

/** The policy decision for the route's resource (`own` when the actor may act only on what they created). */
export const CurrentAuthorization = createParamDecorator((_data: unknown, ctx: ExecutionContext): Authorization => {
  const authz = ctx.switchToHttp().getRequest<AuthenticatedRequest>().authorization;
  if (!authz) throw new Error('CurrentAuthorization used on a route without @Authorize');
  return authz;
});
