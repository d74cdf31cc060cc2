import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Request } from 'express';
import { KeywayConfig } from '../config/keyway-config';
import { Actor, MembershipDirectory } from './actor';
import { Unauthenticated } from './auth.errors';
import { JwtSecret } from './jwt-secret';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './jwt-constants';


type LocalClaims = { sub: string; iss: string; aud: string };

/**
 * Bearer tokens of the management API: Keyway's own HS256 tokens, and, when configured,
 * tokens of an external identity provider verified against its JWKS (issuer and audience
 * checked). An external identity maps to the Keyway user with the same email.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly config: KeywayConfig,
    private readonly directory: MembershipDirectory,
    secret: JwtSecret,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      passReqToCallback: true,
      algorithms: ['HS256'],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      secretOrKey: secret.value,
    });
    if (config.externalIdentity) this.jwks = createRemoteJWKSet(new URL(config.externalIdentity.jwksUrl));
  }

  /** External tokens never reach passport-jwt's HS256 check; see {@link authenticate}. */
  private isExternal(rawJwt: string): boolean {
    if (!this.config.externalIdentity) return false;
    try {
      return decodeJwt(rawJwt).iss === this.config.externalIdentity.issuer;
    } catch {
      return false;
    }
  }

  override authenticate(req: Request, options?: object): void {
    const raw = ExtractJwt.fromAuthHeaderAsBearerToken()(req);
    if (raw && this.isExternal(raw)) {
      this.verifyExternal(raw).then(
        (actor) => this.success(actor),
        (error: unknown) => (error instanceof Unauthenticated ? this.error(error) : this.fail({ message: 'invalid external token' }, 401)),
      );
      return;
    }
    super.authenticate(req, options);
  }

  async validate(_req: Request, payload: LocalClaims): Promise<Actor> {
    const actor = await this.directory.actorFor(payload.sub);
    if (!actor) throw new Unauthenticated('The account behind this token no longer exists.');
    return actor;
  }

  private async verifyExternal(raw: string): Promise<Actor> {
    const { issuer, audience } = this.config.externalIdentity!;
    const { payload } = await jwtVerify(raw, this.jwks!, { issuer, audience, algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'] });
    const email = emailOf(payload);
    if (!email) throw new Unauthenticated('The identity provider token carries no email claim.');
    const actor = await this.directory.actorByEmail(email);
    if (!actor) throw new Unauthenticated(`No Keyway account exists for ${email}; ask an organization owner to invite you.`);
    return actor;
  }
}

function emailOf(payload: JWTPayload): string | undefined {
  const email = payload['email'];
  return typeof email === 'string' ? email : undefined;
}
