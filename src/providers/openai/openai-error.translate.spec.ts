import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../canonical/json-guards';
import { ProviderError } from '../canonical/provider-error';
import { openAiErrorToProviderError, providerErrorToOpenAiBody, readOpenAiCompatibleError } from './openai-error.translate';

interface RecordedError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function recorded(path: string): RecordedError {
  const json: unknown = JSON.parse(readFileSync(join(__dirname, '..', path), 'utf8'));
  if (!isObject(json) || typeof json.status !== 'number' || !isObject(json.headers)) throw new Error(`bad fixture ${path}`);
  return { status: json.status, headers: json.headers as Record<string, string>, body: json.body };
}

const mapped = (path: string, secrets?: string[]): ProviderError => {
  const { status, headers, body } = recorded(path);
  return openAiErrorToProviderError(status, body, headers, secrets);
};

describe('openAiErrorToProviderError', () => {
  it('maps 401 to auth and redacts the echoed key', () => {
    const error = mapped('openai/fixtures/error-401-invalid-api-key.json');
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false, providerCode: 'invalid_api_key' });
    expect(error.message).toBe(
      'Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
    );
    expect(mapped('openai/fixtures/error-401-short-key.json').message).not.toMatch(/sk-|wxyz/);
  });

  it('maps 429 to a retryable rate limit with the wait from retry-after', () => {
    expect(mapped('openai/fixtures/error-429-rate-limit.json')).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
      retryAfterMs: 3000,
      providerCode: 'rate_limit_exceeded',
    });
    expect(mapped('openai/fixtures/error-429-insufficient-quota.json')).toMatchObject({ kind: 'rate_limited', providerCode: 'insufficient_quota' });
  });

  it('maps 5xx to retryable failures and 400 to a caller error', () => {
    expect(mapped('openai/fixtures/error-500-server.json')).toMatchObject({ kind: 'upstream', status: 500, retryable: true, providerCode: 'server_error' });
    expect(mapped('openai/fixtures/error-400-context-length.json')).toMatchObject({ kind: 'invalid_request', status: 400, retryable: false, providerCode: 'context_length_exceeded' });
  });

  it('reads Mistral\'s validation errors', () => {
    const error = mapped('mistral/fixtures/error-422-extra-forbidden.json');
    expect(error).toMatchObject({ kind: 'invalid_request', status: 422, retryable: false });
    expect(error.message).toContain('Extra inputs are not permitted');
    expect(error.message).toContain('max_completion_tokens');
  });

  it('reads other compatible shapes and plain-text bodies', () => {
    expect(readOpenAiCompatibleError({ code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***ub.' })).toEqual({
      message: 'Incorrect API key provided: xa***ub.',
      code: 'Client specified an invalid argument',
    });
    expect(readOpenAiCompatibleError({ detail: { error: 'Model is not available' } })).toEqual({ message: 'Model is not available' });
    expect(readOpenAiCompatibleError('upstream connect error or disconnect/reset before headers')).toEqual({
      message: 'upstream connect error or disconnect/reset before headers',
    });
    expect(openAiErrorToProviderError(502, '')).toMatchObject({ kind: 'unavailable', message: 'The provider answered HTTP 502.' });
  });

  it('redacts the integration secret and its fragments wherever the provider echoed them', () => {
    const secret = 'xai-Zq9Wm3Lk7Rt2Vb8Nc4Xs6Df1Gh5Jk0Pq3Ty7Ui2Op9As4Df';
    const error = openAiErrorToProviderError(401, { code: 'unauthenticated', error: `Incorrect API key provided: ${secret.slice(0, 18)}***` }, undefined, [secret]);
    expect(error.message).not.toContain(secret.slice(4, 18));
  });
});

describe('providerErrorToOpenAiBody', () => {
  it('renders {error: {message, type, param, code}}', () => {
    expect(providerErrorToOpenAiBody(mapped('openai/fixtures/error-401-invalid-api-key.json'))).toEqual({
      error: {
        message: 'Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'authentication_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    const overloaded = new ProviderError({ kind: 'unavailable', status: 529, message: 'Overloaded', retryable: true });
    expect(providerErrorToOpenAiBody(overloaded)).toEqual({ error: { message: 'Overloaded', type: 'service_unavailable_error', param: null, code: null } });
    expect(providerErrorToOpenAiBody(ProviderError.timeout()).error.type).toBe('timeout_error');
  });
});
