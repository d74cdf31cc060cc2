import { classifyUpstreamStatus, ProviderError, retryAfterMs } from './provider-error';

describe('ProviderError', () => {
  it('redacts its message, including the integration secret passed to it', () => {
    const error = new ProviderError({
      kind: 'auth',
      status: 401,
      message: 'Incorrect API key provided: sk-abc***wxyz (key abcd-efgh-ijkl-mnop)',
      retryable: false,
      knownSecrets: ['abcd-efgh-ijkl-mnop'],
    });
    expect(error.message).toBe('Incorrect API key provided: [REDACTED] (key [REDACTED])');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderError');
  });

  it('describes connect failures and timeouts as retryable', () => {
    expect(ProviderError.connectFailed()).toMatchObject({ kind: 'unavailable', status: 502, retryable: true });
    expect(ProviderError.timeout()).toMatchObject({ kind: 'timeout', status: 504, retryable: true });
  });
});

describe('classifyUpstreamStatus', () => {
  it.each([
    [400, 'invalid_request', false],
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'not_found', false],
    [408, 'timeout', true],
    [413, 'invalid_request', false],
    [422, 'invalid_request', false],
    [429, 'rate_limited', true],
    [500, 'upstream', true],
    [502, 'unavailable', true],
    [503, 'unavailable', true],
    [504, 'timeout', true],
    [529, 'unavailable', true],
  ])('HTTP %i is %s (retryable: %s)', (status, kind, retryable) => {
    expect(classifyUpstreamStatus(status)).toEqual({ kind, retryable });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates, from plain objects or Headers', () => {
    expect(retryAfterMs({ 'Retry-After': '17' })).toBe(17_000);
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-09-01T12:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Mon, 01 Sep 2025 12:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
