import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import type { Needles } from './secret-scan';

/**
 * Credentials of every shape (DESIGN §4) with fresh random secrets, the labelled secrets each
 * one holds (for scans), and a management-API client for integrations that keeps every
 * response body it received.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomText(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const openAiKey = (): string => `sk-proj-${randomText(48)}`;
export const anthropicKey = (): string => `sk-ant-api03-${randomText(80)}`;

export type ApiKeyCredential = { apiKey: string };
export type ServiceAccount = {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
};
export type VertexCredential = { serviceAccountJson: string | ServiceAccount; region: string; projectId?: string };
export type AzureDeployment = { modelSlug: string; deploymentName?: string; endpointUrl?: string; apiKey?: string };
export type AzureCredential = { apiKey: string; resourceName: string; apiVersion?: string; deployments: AzureDeployment[] };
export type BedrockCredential = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string };
export type AnyCredential = ApiKeyCredential | VertexCredential | AzureCredential | BedrockCredential;

/** A Google service-account key file with a real RSA private key (PKCS#8 PEM), as the console downloads it. */
export function serviceAccount(project = 'keyway-test'): ServiceAccount {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: `keyway-${randomBytes(3).toString('hex')}@${project}.iam.gserviceaccount.com`,
    client_id: String(randomInt(1e9, 2 ** 47)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export function vertexCredential(account = serviceAccount(), asString = true): VertexCredential {
  return { serviceAccountJson: asString ? JSON.stringify(account, null, 2) : account, region: 'us-central1', projectId: account.project_id };
}

export function azureCredential(resourceName = 'contoso-openai'): AzureCredential {
  return {
    apiKey: randomText(32, '0123456789abcdef'),
    resourceName,
    apiVersion: '2024-10-21',
    deployments: [
      { modelSlug: 'gpt-4o', deploymentName: 'gpt4o-prod' },
      { modelSlug: 'gpt-4o-mini', endpointUrl: `https://${resourceName}-eu.openai.azure.com/openai/deployments/mini-eu`, apiKey: randomText(32, '0123456789abcdef') },
    ],
  };
}

export function bedrockCredential(temporary = true): BedrockCredential {
  const credential: BedrockCredential = {
    accessKeyId: `${temporary ? 'ASIA' : 'AKIA'}${randomText(16, UPPER_ALNUM)}`,
    secretAccessKey: randomText(40, `${ALNUM}/+`),
    region: 'us-east-1',
  };
  if (temporary) credential.sessionToken = `IQoJb3JpZ2luX2Vj${randomText(300, `${ALNUM}/+`)}`;
  return credential;
}

export function privateKeyOf(credential: VertexCredential): string {
  const account = typeof credential.serviceAccountJson === 'string' ? (JSON.parse(credential.serviceAccountJson) as ServiceAccount) : credential.serviceAccountJson;
  return account.private_key;
}

/**
 * Every secret a credential (and its custom auth header values) holds, labelled with `label`:
 * API keys, the AWS access key id, secret access key and session token, the service-account
 * file, its private key PEM and each base64 line of the PEM body.
 */
export function secretsOf(label: string, credential: AnyCredential, headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const c = credential as Partial<ApiKeyCredential & BedrockCredential & AzureCredential & VertexCredential>;
  if (c.apiKey) out[`${label} apiKey`] = c.apiKey;
  if (c.accessKeyId) out[`${label} accessKeyId`] = c.accessKeyId;
  if (c.secretAccessKey) out[`${label} secretAccessKey`] = c.secretAccessKey;
  if (c.sessionToken) out[`${label} sessionToken`] = c.sessionToken;
  (c.deployments ?? []).forEach((d, i) => {
    if (d.apiKey) out[`${label} deployments[${i}].apiKey`] = d.apiKey;
  });
  if (c.serviceAccountJson) {
    const vertex = credential as VertexCredential;
    const account = typeof vertex.serviceAccountJson === 'string' ? (JSON.parse(vertex.serviceAccountJson) as ServiceAccount) : vertex.serviceAccountJson;
    if (typeof vertex.serviceAccountJson === 'string') out[`${label} serviceAccountJson`] = vertex.serviceAccountJson;
    out[`${label} serviceAccountJson (compact)`] = JSON.stringify(account);
    const pem = account.private_key;
    out[`${label} private_key`] = pem;
    pem
      .split('\n')
      .filter((line) => line.length >= 16 && !line.startsWith('-----'))
      .forEach((line, i) => (out[`${label} private_key line ${i + 1}`] = line));
  }
  for (const [name, value] of Object.entries(headers)) out[`${label} header ${name}`] = value;
  return out;
}

export function mergeNeedles(...sets: Needles[]): Needles {
  return Object.assign({}, ...sets) as Needles;
}

export type Problem = { type: string; title: string; status: number; detail: string; instance?: string; requestId?: string; errors?: { field: string; message: string }[] };

export type IntegrationView = {
  id: string;
  organizationId: string;
  name: string;
  providerSlug: string;
  provider: string;
  description: string | null;
  projectScope: 'all' | string[];
  status: 'active' | 'disabled';
  credential: { mask: string; fingerprint: string; details: Record<string, unknown> };
  customHost: string | null;
  apiFormat: string | null;
  customAuthHeaders: string[];
  weight: number;
  rpmLimit: number | null;
  alwaysUse: boolean;
  dailyBudgetUsd: number | null;
  monthlyBudgetUsd: number | null;
  region: string | null;
  autoEnable: boolean;
  health: { status: string; consecutiveFailures: number; lastError: string | null; lastErrorAt: string | null; lastSuccessAt: string | null; cooldownUntil: string | null };
  createdAt: string;
  updatedAt: string;
};

export type ProbeView = { ok: boolean; status: number | null; latencyMs: number; message: string };
export type AuditEventView = { id: string; action: string; actorUserId: string; integrationId: string; integrationSlug: string; details: Record<string, unknown>; ip: string | null; createdAt: string };

export type Sent<T> = { status: number; contentType: string; body: T; text: string };
export type Exchange = { method: string; path: string; status: number; text: string };

/**
 * The integration routes of the management API, sent as plain JSON (so that invalid bodies reach
 * the server untouched). Every response is kept in `exchanges` for secret scans.
 */
export class IntegrationsClient {
  readonly exchanges: Exchange[] = [];

  constructor(private readonly baseUrl: string) {}

  async send<T = unknown>(method: string, path: string, token: string | undefined, body?: unknown): Promise<Sent<T>> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    this.exchanges.push({ method, path, status: res.status, text });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : undefined) as T, text };
  }

  /** Every response body received so far, one per line. */
  responseText(): string {
    return this.exchanges.map((e) => e.text).join('\n');
  }

  list(token: string, orgId: string) {
    return this.send<IntegrationView[]>('GET', `/api/organizations/${orgId}/integrations`, token);
  }

  create(token: string, orgId: string, body: Record<string, unknown>) {
    return this.send<IntegrationView>('POST', `/api/organizations/${orgId}/integrations`, token, body);
  }

  get(token: string, id: string) {
    return this.send<IntegrationView>('GET', `/api/integrations/${id}`, token);
  }

  update(token: string, id: string, body: Record<string, unknown>) {
    return this.send<IntegrationView>('PATCH', `/api/integrations/${id}`, token, body);
  }

  rotate(token: string, id: string, credential: unknown) {
    return this.send<IntegrationView>('PUT', `/api/integrations/${id}/credential`, token, { credential });
  }

  delete(token: string, id: string) {
    return this.send<undefined>('DELETE', `/api/integrations/${id}`, token);
  }

  test(token: string, id: string) {
    return this.send<ProbeView>('POST', `/api/integrations/${id}/test`, token);
  }

  audit(token: string, orgId: string, integrationId?: string) {
    return this.send<{ events: AuditEventView[]; nextBefore: string | null }>(
      'GET',
      `/api/organizations/${orgId}/audit${integrationId ? `?integrationId=${integrationId}` : ''}`,
      token,
    );
  }

  /** Creates and fails the test unless the server answered 201. */
  async mustCreate(token: string, orgId: string, body: Record<string, unknown>): Promise<IntegrationView> {
    const sent = await this.create(token, orgId, body);
    if (sent.status !== 201) throw new Error(`creating ${String(body.providerSlug)} failed with ${sent.status}: ${sent.text}`);
    return sent.body;
  }
}
