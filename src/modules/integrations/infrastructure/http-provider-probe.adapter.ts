import { Agent, request } from 'undici';
import type { ProviderEntry } from '../../catalog/domain/catalog';
import type { Secret } from '../../../platform/crypto/secret';
import { redactSecrets } from '../../../providers/canonical/redact';
import { AzureCredential, Credential, secretValues } from '../domain/credential';
import type { AdvancedOptions } from '../domain/integration';
import { ProbeUnsupported } from '../domain/integration.errors';
import { ProbeResult, ProviderProbe } from '../application/ports/provider-probe.port';

const TIMEOUT_MS = 10_000;
const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** Verifies a credential with the provider's cheapest authenticated call: listing its models. */
export class HttpProviderProbe implements ProviderProbe {
  constructor(private readonly agent: Agent) {}

  async probe(
    provider: ProviderEntry,
    credential: Secret<Credential>,
    options: Pick<AdvancedOptions, 'customHost' | 'apiFormat'>,
    customHeaders: Record<string, string>,
  ): Promise<ProbeResult> {
    const target = this.target(provider, credential.reveal(), options);
    const started = performance.now();
    const secrets = secretValues(credential.reveal()).concat(Object.values(customHeaders));
    try {
      const res = await request(target.url, {
        method: 'GET',
        headers: { ...customHeaders, ...target.headers, accept: 'application/json' },
        dispatcher: this.agent,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      const text = (await res.body.text()).slice(0, 2000);
      const latencyMs = Math.round(performance.now() - started);
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode, latencyMs, message: 'The provider accepted the credential.', authFailed: false };
      // Google answers an invalid key with 400 API_KEY_INVALID rather than 401.
      const authFailed = res.statusCode === 401 || res.statusCode === 403 || (res.statusCode === 400 && text.includes('API_KEY_INVALID'));
      const detail = redactSecrets(providerMessage(text), secrets);
      return {
        ok: false,
        status: res.statusCode,
        latencyMs,
        authFailed,
        message: `${authFailed ? 'The provider rejected the credential' : 'The provider answered'} with HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}`,
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const reason = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
      return { ok: false, status: null, latencyMs, authFailed: false, message: `Could not reach the provider: ${reason}` };
    }
  }

  private target(provider: ProviderEntry, credential: Credential, options: Pick<AdvancedOptions, 'customHost' | 'apiFormat'>): { url: string; headers: Record<string, string> } {
    const format = options.apiFormat;
    const base = trimSlash(options.customHost ?? provider.defaultBaseUrl);
    const family = format ?? provider.apiFamily;
    const apiKey = (credential as { apiKey?: string }).apiKey ?? '';
    switch (family) {
      case 'openai':
        return { url: `${base}/models`, headers: { authorization: `Bearer ${apiKey}` } };
      case 'anthropic':
        return { url: `${base.replace(/\/v1$/, '')}/v1/models`, headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' } };
      case 'gemini':
        return { url: `${base}/models`, headers: { 'x-goog-api-key': apiKey } };
      case 'cohere':
        return { url: `${base.replace(/\/v2$/, '/v1')}/models`, headers: { authorization: `Bearer ${apiKey}` } };
      case 'azure-openai': {
        const azure = credential as AzureCredential;
        const root = options.customHost ? base : `https://${azure.resourceName}.openai.azure.com/openai`;
        return { url: `${root}/models?api-version=${encodeURIComponent(azure.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`, headers: { 'api-key': azure.apiKey } };
      }
      default:
        throw new ProbeUnsupported(provider.displayName);
    }
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The human part of a provider's error body (OpenAI and Anthropic both use `error.message`). */
function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'object' && typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
