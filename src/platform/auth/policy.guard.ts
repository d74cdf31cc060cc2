import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ACCESS_KEY, Access, AuthenticatedRequest } from './authorize.decorator';
import { Forbidden, ResourceNotFound, Unauthenticated } from './auth.errors';
import { decide } from './policy';
import { ScopeResolvers } from './scope-resolvers';

/**
 * The one guard of the management API: authenticates the bearer token, then applies the
 * policy table to the route's resource. A route without an access declaration is refused,
 * so a new endpoint cannot be left open by accident.
 */
@Injectable()
export class PolicyGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly scopes: ScopeResolvers,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (access?.mode === 'public') return true;
    if (!access) throw new Forbidden('This route declares no access policy.');
    await super.canActivate(ctx);
    if (access.mode === 'authenticated') return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = req.user!;
    const id = String(req.params[access.resource.param] ?? "");
    const { scope, label } = await this.scopes.resolve(access.resource.kind, id);
    if (!scope) throw new ResourceNotFound(label);
    const decision = decide(access.action, actor, scope);
    if (decision === 'not_found') throw new ResourceNotFound(label);
    if (decision === 'forbidden') throw new Forbidden(`Your role does not allow ${access.action} on this ${label.toLowerCase()}.`);
    req.authorization = { decision, scope };
    return true;
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err) throw err;
    if (!user) {
      const message = info instanceof Error ? info.message : '';
      throw new Unauthenticated(
        message === 'No auth token' || message === ''
          ? 'A bearer token is required (Authorization: Bearer <token>).'
          : `The bearer token was rejected: ${message}.`,
      );
    }
    return user;
  }
}
