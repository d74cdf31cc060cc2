import { createPrivateKey } from 'node:crypto';
import type { CredentialShape } from '../../catalog/domain/catalog';
import type { FieldError } from '../../../platform/errors/domain-error';
import { fingerprint, maskKey } from '../../../platform/crypto/masking';

export type ApiKeyCredential = { apiKey: string };
export type VertexCredential = { serviceAccountJson: string; region: string; projectId?: string };
export type AzureDeployment = { modelSlug: string; deploymentName?: string; endpointUrl?: string; apiKey?: string };
export type AzureCredential = { apiKey: string; resourceName: string; apiVersion?: string; deployments: AzureDeployment[] };
export type BedrockCredential = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string };
export type Credential = ApiKeyCredential | VertexCredential | AzureCredential | BedrockCredential;

/** What can be shown about a credential without revealing it. */
export type CredentialSummary = {
  mask: string;
  fingerprint: string;
  /** Non-secret parts: region, resource name, deployments, service-account identity. */
  details: Record<string, unknown>;
};

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;
const AZURE_RESOURCE = /^[a-zA-Z0-9][a-zA-Z0-9-]{1,62}$/;
const AZURE_API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** Validates `raw` against the provider's credential shape; errors name `credential.<field>`. Unknown fields are refused. */
export function parseCredential(shape: CredentialShape, raw: unknown, prefix = 'credential'): Parsed<Credential> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(prefix, `must be an object with the ${shape} credential fields`);
  }
  const input = raw as Record<string, unknown>;
  switch (shape) {
    case 'api-key':
      return collect(prefix, input, ['apiKey'], (e) => ({ apiKey: secretString(input, 'apiKey', e, prefix)! }));
    case 'bedrock-iam':
      return collect(prefix, input, ['accessKeyId', 'secretAccessKey', 'sessionToken', 'region'], (e) => {
        const accessKeyId = secretString(input, 'accessKeyId', e, prefix);
        if (accessKeyId && !/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(accessKeyId)) e.push({ field: `${prefix}.accessKeyId`, message: 'must be an AWS access key id (AKIA… or ASIA…)' });
        const value: BedrockCredential = {
          accessKeyId: accessKeyId!,
          secretAccessKey: secretString(input, 'secretAccessKey', e, prefix)!,
          region: pattern(input, 'region', REGION, 'must be an AWS region such as us-east-1', e, prefix)!,
        };
        const sessionToken = optionalString(input, 'sessionToken', e, prefix);
        if (sessionToken) value.sessionToken = sessionToken;
        return value;
      });
    case 'vertex-service-account':
      return collect(prefix, input, ['serviceAccountJson', 'region', 'projectId'], (e) => {
        const serviceAccountJson = serviceAccount(input.serviceAccountJson, e, prefix);
        const value: VertexCredential = {
          serviceAccountJson: serviceAccountJson!,
          region: pattern(input, 'region', /^([a-z]+-[a-z]+\d+|global)$/, 'must be a Google Cloud region such as us-central1, or global', e, prefix)!,
        };
        const projectId = optionalString(input, 'projectId', e, prefix);
        if (projectId) value.projectId = projectId;
        return value;
      });
    case 'azure-openai':
      return collect(prefix, input, ['apiKey', 'resourceName', 'apiVersion', 'deployments'], (e) => {
        const value: AzureCredential = {
          apiKey: secretString(input, 'apiKey', e, prefix)!,
          resourceName: pattern(input, 'resourceName', AZURE_RESOURCE, 'must be the Azure OpenAI resource name (letters, digits, dashes)', e, prefix)!,
          deployments: deployments(input.deployments, e, prefix),
        };
        if (input.apiVersion !== undefined) {
          const apiVersion = pattern(input, 'apiVersion', AZURE_API_VERSION, 'must be an API version such as 2024-10-21 or 2025-01-01-preview', e, prefix);
          if (apiVersion) value.apiVersion = apiVersion;
        }
        return value;
      });
  }
}

export function summarize(shape: CredentialShape, credential: Credential): CredentialSummary {
  switch (shape) {
    case 'api-key': {
      const { apiKey } = credential as ApiKeyCredential;
      return { mask: maskKey(apiKey), fingerprint: fingerprint(apiKey), details: {} };
    }
    case 'bedrock-iam': {
      const c = credential as BedrockCredential;
      return {
        mask: maskKey(c.accessKeyId),
        fingerprint: fingerprint(`${c.accessKeyId}:${c.secretAccessKey}`),
        details: { region: c.region, temporary: c.sessionToken !== undefined },
      };
    }
    case 'vertex-service-account': {
      const c = credential as VertexCredential;
      const account = JSON.parse(c.serviceAccountJson) as { client_email: string; private_key_id?: string; project_id?: string };
      const keyId = account.private_key_id ? `${account.private_key_id.slice(0, 8)}…` : 'unknown';
      return {
        mask: `${account.client_email} (key ${keyId})`,
        fingerprint: fingerprint(c.serviceAccountJson),
        details: { clientEmail: account.client_email, keyId, region: c.region, projectId: c.projectId ?? account.project_id ?? null },
      };
    }
    case 'azure-openai': {
      const c = credential as AzureCredential;
      return {
        mask: `${c.resourceName}: ${maskKey(c.apiKey)}`,
        fingerprint: fingerprint(c.apiKey),
        details: {
          resourceName: c.resourceName,
          apiVersion: c.apiVersion ?? null,
          deployments: c.deployments.map((d) => ({
            modelSlug: d.modelSlug,
            deploymentName: d.deploymentName ?? null,
            endpointUrl: d.endpointUrl ?? null,
            apiKey: d.apiKey ? maskKey(d.apiKey) : null,
          })),
        },
      };
    }
  }
}

/** Every URL inside a credential that the gateway will connect to, with its field path (for the outbound-host check). */
export function credentialUrls(shape: CredentialShape, credential: Credential, prefix = 'credential'): { field: string; url: string }[] {
  if (shape !== 'azure-openai') return [];
  return (credential as AzureCredential).deployments.flatMap((d, i) => (d.endpointUrl ? [{ field: `${prefix}.deployments[${i}].endpointUrl`, url: d.endpointUrl }] : []));
}

/** Every secret string inside a credential (used to redact provider echoes and to scan in tests). */
export function secretValues(credential: Credential): string[] {
  const c = credential as Partial<ApiKeyCredential & BedrockCredential & VertexCredential & AzureCredential>;
  const values = [c.apiKey, c.secretAccessKey, c.sessionToken, c.serviceAccountJson, ...(c.deployments ?? []).map((d) => d.apiKey)];
  if (c.serviceAccountJson) values.push((JSON.parse(c.serviceAccountJson) as { private_key?: string }).private_key);
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function collect<T>(prefix: string, input: Record<string, unknown>, known: string[], build: (errors: FieldError[]) => T): Parsed<T> {
  const errors: FieldError[] = Object.keys(input)
    .filter((k) => !known.includes(k))
    .map((k) => ({ field: `${prefix}.${k}`, message: `is not a field of this provider's credential (expected ${known.join(', ')})` }));
  const value = build(errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

function fail(field: string, message: string): Parsed<never> {
  return { ok: false, errors: [{ field, message }] };
}

function secretString(input: Record<string, unknown>, key: string, errors: FieldError[], prefix: string): string | undefined {
  const value = input[key];
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field: `${prefix}.${key}`, message: 'is required and must be a non-empty string' });
    return undefined;
  }
  if (value.length > 4096 || /\s/.test(value.trim()) || value !== value.trim()) {
    errors.push({ field: `${prefix}.${key}`, message: 'must be a single token without spaces (at most 4096 characters)' });
    return undefined;
  }
  return value;
}

function optionalString(input: Record<string, unknown>, key: string, errors: FieldError[], prefix: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 8192) {
    errors.push({ field: `${prefix}.${key}`, message: 'must be a non-empty string' });
    return undefined;
  }
  return value.trim();
}

function pattern(input: Record<string, unknown>, key: string, re: RegExp, message: string, errors: FieldError[], prefix: string): string | undefined {
  const value = input[key];
  if (typeof value !== 'string' || !re.test(value)) {
    errors.push({ field: `${prefix}.${key}`, message: value === undefined ? `is required; ${message}` : message });
    return undefined;
  }
  return value;
}

/** Accepts the service-account key file as a JSON string or as the parsed object; stores it as compact JSON. */
function serviceAccount(raw: unknown, errors: FieldError[], prefix: string): string | undefined {
  const field = `${prefix}.serviceAccountJson`;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      errors.push({ field, message: 'is not valid JSON; paste the whole service-account key file' });
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    errors.push({ field, message: 'is required: the service-account key file (JSON)' });
    return undefined;
  }
  const account = parsed as Record<string, unknown>;
  const before = errors.length;
  if (account.type !== 'service_account') errors.push({ field: `${field}.type`, message: 'must be "service_account"' });
  if (typeof account.client_email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(account.client_email)) {
    errors.push({ field: `${field}.client_email`, message: 'must be the service account email' });
  }
  if (typeof account.private_key !== 'string' || !isPrivateKeyPem(account.private_key)) {
    errors.push({ field: `${field}.private_key`, message: 'must be a PEM private key (-----BEGIN PRIVATE KEY----- …)' });
  }
  return errors.length === before ? JSON.stringify(account) : undefined;
}

function isPrivateKeyPem(pem: string): boolean {
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) return false;
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

function deployments(raw: unknown, errors: FieldError[], prefix: string): AzureDeployment[] {
  const field = `${prefix}.deployments`;
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push({ field, message: 'must list at least one deployment: [{ modelSlug, deploymentName | endpointUrl, apiKey? }]' });
    return [];
  }
  if (raw.length > 200) errors.push({ field, message: 'must have at most 200 deployments' });
  const seen = new Set<string>();
  return raw.slice(0, 200).map((item, i): AzureDeployment => {
    const at = `${field}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: at, message: 'must be an object' });
      return { modelSlug: '' };
    }
    const d = item as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!['modelSlug', 'deploymentName', 'endpointUrl', 'apiKey'].includes(key)) errors.push({ field: `${at}.${key}`, message: 'is not a known field' });
    }
    const modelSlug = typeof d.modelSlug === 'string' && /^[A-Za-z0-9._:/-]{1,128}$/.test(d.modelSlug) ? d.modelSlug : undefined;
    if (!modelSlug) errors.push({ field: `${at}.modelSlug`, message: 'is required: the model name clients send (e.g. gpt-4o)' });
    else if (seen.has(modelSlug)) errors.push({ field: `${at}.modelSlug`, message: `duplicates ${modelSlug}` });
    else seen.add(modelSlug);
    const deployment: AzureDeployment = { modelSlug: modelSlug ?? '' };
    if (d.deploymentName !== undefined) {
      if (typeof d.deploymentName === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(d.deploymentName)) deployment.deploymentName = d.deploymentName;
      else errors.push({ field: `${at}.deploymentName`, message: 'must be an Azure deployment name (letters, digits, . _ -)' });
    }
    if (d.endpointUrl !== undefined) {
      if (typeof d.endpointUrl === 'string' && d.endpointUrl.length <= 2048) deployment.endpointUrl = d.endpointUrl;
      else errors.push({ field: `${at}.endpointUrl`, message: 'must be a URL' });
    }
    if (d.deploymentName === undefined && d.endpointUrl === undefined) errors.push({ field: at, message: 'needs a deploymentName or an endpointUrl' });
    if (d.apiKey !== undefined) {
      const apiKey = secretString(d, 'apiKey', errors, at);
      if (apiKey) deployment.apiKey = apiKey;
    }
    return deployment;
  });
}
