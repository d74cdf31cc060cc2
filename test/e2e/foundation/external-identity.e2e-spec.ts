import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer, signUp, uniqueEmail, type Account } from '../../support/world';

/**
 * Tokens of an existing identity provider: Keyway fetches the provider's public keys from its
 * JWKS URL and maps a verified token to the Keyway user with the same email.
 */

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'keyway-management';
const KID = 'idp-key-1';

// Booting the app takes ~3 s, more on a busy 2-core machine; the 5 s default is too tight for the hooks.
jest.setTimeout(30_000);

describe('external identity provider', () => {
  let idp: Server;
  let jwksRequests = 0;
  let signingKey: KeyLike;
  let t: TestApp;
  let user: Account;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
    idp = createServer((req, res) => {
      jwksRequests++;
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const { port } = idp.address() as AddressInfo;
    t = await startTestApp({
      KEYWAY_OIDC_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      KEYWAY_OIDC_ISSUER: ISSUER,
      KEYWAY_OIDC_AUDIENCE: AUDIENCE,
    });
    user = await signUp(t, 'sso-user');
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => idp?.close(resolve));
  });

  type Claims = { iss?: string; aud?: string; email?: string; exp?: number };

  function idpToken(claims: Claims = {}, key: KeyLike | Uint8Array = signingKey, alg = 'RS256'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const { iss = ISSUER, aud = AUDIENCE, exp = now + 300, ...rest } = { email: user.email, ...claims };
    return new SignJWT(rest)
      .setProtectedHeader({ alg, kid: KID, typ: 'JWT' })
      .setSubject('idp-subject-1234')
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt(Math.min(now, exp - 60))
      .setExpirationTime(exp)
      .sign(key);
  }

  async function me(token: string) {
    return t.api.GET('/api/me', bearer(token));
  }

  async function expectRefused(token: string): Promise<void> {
    const res = await me(token);
    expect(res.response.status).toBe(401);
    expect(res.response.headers.get('content-type')).toContain('application/problem+json');
    expect(res.error).toMatchObject({ type: 'urn:keyway:problem:unauthenticated', status: 401 });
  }

  it('a token from the identity provider with the email of a Keyway user signs in as that user', async () => {
    const res = await me(await idpToken());
    expect(res.response.status).toBe(200);
    expect(res.data!.user).toMatchObject({ id: user.userId, email: user.email });
    expect(res.data!.organizations.map((o) => o.organization.id)).toEqual([user.organizationId]);
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('the email is matched regardless of case', async () => {
    const res = await me(await idpToken({ email: user.email.toUpperCase() }));
    expect(res.response.status).toBe(200);
    expect(res.data!.user.id).toBe(user.userId);
  });

  it('the user acts with their Keyway roles: an identity-provider token can do what the owner can', async () => {
    const token = await idpToken();
    const project = await t.api.POST('/api/organizations/{orgId}/projects', {
      params: { path: { orgId: user.organizationId } },
      body: { name: 'made-over-sso' },
      ...bearer(token),
    });
    expect(project.response.status).toBe(201);
  });

  it('Keyway’s own tokens keep working alongside the identity provider', async () => {
    expect((await me(user.token)).response.status).toBe(200);
  });

  it('a token for another audience is refused', async () => {
    await expectRefused(await idpToken({ aud: 'some-other-app' }));
  });

  it('a token from another issuer is refused', async () => {
    await expectRefused(await idpToken({ iss: 'https://evil.example.test/' }));
  });

  it('an expired token is refused', async () => {
    await expectRefused(await idpToken({ exp: Math.floor(Date.now() / 1000) - 600 }));
  });

  it('a valid token for an email with no Keyway account is refused, and says so', async () => {
    const email = uniqueEmail('stranger');
    const res = await me(await idpToken({ email }));
    expect(res.response.status).toBe(401);
    expect(res.response.headers.get('content-type')).toContain('application/problem+json');
    expect(res.error).toMatchObject({ type: 'urn:keyway:problem:unauthenticated', detail: expect.stringContaining('No Keyway account') });
  });

  it('a valid token without an email claim is refused', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setSubject('idp-subject-1234')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);
    await expectRefused(token);
  });

  it('a token signed by another key under the same key id is refused', async () => {
    const { privateKey: impostor } = await generateKeyPair('RS256');
    await expectRefused(await idpToken({}, impostor));
  });

  it('a token with the provider’s issuer but an HMAC signature is refused', async () => {
    await expectRefused(await idpToken({}, new TextEncoder().encode('a-shared-secret-the-attacker-chose-000000'), 'HS256'));
  });
});
