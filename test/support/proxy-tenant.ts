import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { TestApp } from './test-app';
import { Account, bearer, createProject, signUp } from './world';

/**
 * An organization of its own for a proxy scenario: an owner, a project, a gateway API key and the
 * integrations the scenario creates. Scenarios of one suite share the app but not their
 * integrations, so one scenario's failing or cooling integration never serves another's traffic.
 */

export type IntegrationSpec = {
  slug: string;
  provider: 'openai' | 'anthropic';
  apiKey: string;
  /** Base URL of the fake (its `baseUrl`). */
  host: string;
  weight?: number;
  rpmLimit?: number;
  alwaysUse?: boolean;
  /** `all` (default) or project ids. */
  projectScope?: 'all' | string[];
};

export type Tenant = {
  owner: Account;
  projectId: string;
  /** A `kw-…` key of `projectId`. */
  key: string;
  keyId: string;
  /** The official SDKs pointed at the gateway with `key`, no retries. */
  openai: OpenAI;
  anthropic: Anthropic;
  integrationIds: Record<string, string>;
};

export async function aTenant(t: TestApp, label: string, integrations: IntegrationSpec[] = []): Promise<Tenant> {
  const owner = await signUp(t, label);
  const projectId = await createProject(t, owner, `${label} project`);
  const { id: keyId, key } = await createApiKey(t, owner, projectId);
  const tenant: Tenant = { owner, projectId, key, keyId, openai: openAiClient(t, key), anthropic: anthropicClient(t, key), integrationIds: {} };
  for (const spec of integrations) tenant.integrationIds[spec.slug] = await createIntegration(t, owner, spec);
  return tenant;
}

export async function createIntegration(t: TestApp, owner: Account, spec: IntegrationSpec): Promise<string> {
  const { data, error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
    params: { path: { orgId: owner.organizationId } },
    body: {
      name: spec.slug,
      providerSlug: spec.slug,
      provider: spec.provider,
      credential: { apiKey: spec.apiKey },
      customHost: spec.host,
      ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
      ...(spec.rpmLimit !== undefined ? { rpmLimit: spec.rpmLimit } : {}),
      ...(spec.alwaysUse !== undefined ? { alwaysUse: spec.alwaysUse } : {}),
      ...(spec.projectScope !== undefined ? { projectScope: spec.projectScope } : {}),
    },
    ...bearer(owner.token),
  });
  if (!data) throw new Error(`create integration ${spec.slug} failed: ${JSON.stringify(error)}`);
  return data.id;
}

export async function createApiKey(t: TestApp, owner: Account, projectId: string, name = 'proxy e2e'): Promise<{ id: string; key: string }> {
  const { data, error } = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId } }, body: { name }, ...bearer(owner.token) });
  if (!data) throw new Error(`create api key failed: ${JSON.stringify(error)}`);
  return { id: data.id, key: data.key };
}

export function openAiClient(t: TestApp, key: string, options: { timeout?: number } = {}): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0, ...options });
}

export function anthropicClient(t: TestApp, key: string, options: { timeout?: number } = {}): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: t.baseUrl, maxRetries: 0, ...options });
}

export type IntegrationHealth = { status: string; consecutiveFailures: number; lastError: string | null; cooldownUntil: string | null };

/** The integration's `health` as `GET /api/integrations/{id}` shows it. */
export async function healthOf(t: TestApp, owner: Account, integrationId: string): Promise<IntegrationHealth> {
  const res = await fetch(`${t.baseUrl}/api/integrations/${integrationId}`, { headers: { authorization: `Bearer ${owner.token}` } });
  if (res.status !== 200) throw new Error(`GET integration: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { health: IntegrationHealth }).health;
}

/** Polls `probe` every 25 ms until it returns true; fails after `timeoutMs` with `what`. */
export async function eventually(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** A loopback port nothing listens on (bound, then released): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** A raw `/v1` call, for bodies the SDKs would refuse to send; returns status, headers and the parsed body. */
export async function postV1(t: TestApp, path: string, key: string | undefined, body: string | Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}
