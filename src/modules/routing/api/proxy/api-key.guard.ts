import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyService, AuthenticatedKey } from '../../application/api-key.service';
import { InvalidApiKey } from '../../domain/routing.errors';

export type ProxyRequest = Request & { gatewayKey?: AuthenticatedKey };

/** `/v1` authentication: the gateway key as `Authorization: Bearer kw-…` or `x-api-key` (as Anthropic clients send). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<ProxyRequest>();
    const presented = presentedKey(req);
    if (!presented) throw new InvalidApiKey('Provide your Keyway API key as "Authorization: Bearer kw-…" or in the x-api-key header.');
    const key = await this.keys.authenticate(presented);
    if (!key) throw new InvalidApiKey('The API key is unknown, revoked or expired.');
    req.gatewayKey = key;
    return true;
  }
}

function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}
