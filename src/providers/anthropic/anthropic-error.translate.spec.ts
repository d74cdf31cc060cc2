import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../canonical/json-guards';
import { ProviderError } from '../canonical/provider-error';
import { anthropicErrorToProviderError, providerErrorToAnthropicBody } from './anthropic-error.translate';

function mapped(name: string): ProviderError {
  const json: unknown = JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
  if (!isObject(json) || typeof json.status !== 'number' || !isObject(json.headers)) throw new Error(`bad fixture ${name}`);
  return anthropicErrorToProviderError(json.status, json.body, json.headers as Record<string, string>);
}

describe('anthropicErrorToProviderError', () => {
  it('maps authentication_error to auth', () => {
    expect(mapped('error-401-authentication.json')).toMatchObject({ kind: 'auth', status: 401, retryable: false, message: 'invalid x-api-key' });
  });

  it('maps 429 to a retryable rate limit with retry-after', () => {
    expect(mapped('error-429-rate-limit.json')).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true, retryAfterMs: 17_000, providerCode: 'rate_limit_error' });
  });

  it('keeps the spend-limit code, which waiting will not clear', () => {
    expect(mapped('error-429-spend-limit.json')).toMatchObject({ kind: 'rate_limited', providerCode: 'enforced_spend_limit_reached' });
    expect(mapped('error-429-spend-limit.json').retryAfterMs).toBeUndefined();
  });

  it('maps 529 overloaded to unavailable and retryable', () => {
    expect(mapped('error-529-overloaded.json')).toMatchObject({ kind: 'unavailable', status: 529, retryable: true, message: 'Overloaded', providerCode: 'overloaded_error' });
  });

  it('maps 400 to a caller error', () => {
    expect(mapped('error-400-invalid-request.json')).toMatchObject({ kind: 'invalid_request', status: 400, retryable: false });
  });

  it('derives the status of an error event inside a stream from its type', () => {
    expect(anthropicErrorToProviderError(undefined, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } })).toMatchObject({ status: 429, kind: 'rate_limited' });
    expect(anthropicErrorToProviderError(undefined, { type: 'error', error: { type: 'mystery', message: '?' } })).toMatchObject({ status: 500, kind: 'upstream' });
  });

  it('redacts keys echoed in the message', () => {
    const error = anthropicErrorToProviderError(401, { type: 'error', error: { type: 'authentication_error', message: 'bad key sk-ant-api03-Zq9Wm3Lk7Rt2Vb8Nc4Xs6Df1Gh5' } });
    expect(error.message).toBe('bad key [REDACTED]');
  });
});

describe('providerErrorToAnthropicBody', () => {
  it.each([
    [400, 'invalid_request', 'invalid_request_error'],
    [401, 'auth', 'authentication_error'],
    [403, 'auth', 'permission_error'],
    [404, 'not_found', 'not_found_error'],
    [413, 'invalid_request', 'request_too_large'],
    [429, 'rate_limited', 'rate_limit_error'],
    [500, 'upstream', 'api_error'],
    [502, 'unavailable', 'overloaded_error'],
    [504, 'timeout', 'timeout_error'],
    [529, 'unavailable', 'overloaded_error'],
  ] as const)('renders HTTP %i (%s) as %s', (status, kind, type) => {
    const error = new ProviderError({ kind, status, message: 'm', retryable: false });
    expect(providerErrorToAnthropicBody(error)).toEqual({ type: 'error', error: { type, message: 'm' } });
  });
});
