import { redactSecrets } from './redact';

/**
 * What went wrong upstream, from the router's point of view: `retryable` failures may be
 * retried on the next candidate integration; the others are answered to the caller.
 */
export type ProviderErrorKind =
  | 'auth'
  | 'rate_limited'
  | 'invalid_request'
  | 'not_found'
  | 'unavailable'
  | 'timeout'
  | 'upstream';

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  /** HTTP status to answer the caller with. */
  status: number;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  /** The provider's own error code or type (e.g. `insufficient_quota`, `overloaded_error`). */
  providerCode?: string;
  /** Secrets of the integration in use; redacted from the message with their fragments. */
  knownSecrets?: readonly string[];
}

/**
 * An upstream failure in provider-neutral terms. The message is always redacted: it is built
 * from provider text that may echo a key ("Incorrect API key provided: sk-abc***wxyz").
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;

  constructor(init: ProviderErrorInit) {
    super(redactSecrets(init.message, init.knownSecrets));
    this.name = new.target.name;
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.providerCode !== undefined) this.providerCode = redactSecrets(init.providerCode, init.knownSecrets);
  }

  /** The connection to the provider could not be made (DNS, refused, TLS, reset before a response). */
  static connectFailed(message = 'The provider could not be reached.'): ProviderError {
    return new ProviderError({ kind: 'unavailable', status: 502, message, retryable: true });
  }

  /** The caller went away (disconnected or aborted) before the answer ended; 499 as in nginx. */
  static clientGone(): ProviderError {
    return new ProviderError({ kind: 'upstream', status: 499, retryable: false, message: 'The client went away.' });
  }

  /** No response (or no next chunk) within the configured time. */
  static timeout(message = 'The provider did not answer in time.'): ProviderError {
    return new ProviderError({ kind: 'timeout', status: 504, message, retryable: true });
  }
}

export interface StatusClassification {
  kind: ProviderErrorKind;
  retryable: boolean;
}

/**
 * Classifies an upstream HTTP status. Retryable: 408, 409 (Anthropic's SDK retries it),
 * 429, every 5xx and Anthropic's 529 "overloaded".
 */
export function classifyUpstreamStatus(status: number): StatusClassification {
  if (status === 401 || status === 402 || status === 403) return { kind: 'auth', retryable: false };
  if (status === 404) return { kind: 'not_found', retryable: false };
  if (status === 408 || status === 504) return { kind: 'timeout', retryable: true };
  if (status === 409) return { kind: 'upstream', retryable: true };
  if (status === 429) return { kind: 'rate_limited', retryable: true };
  if (status === 502 || status === 503 || status === 529) return { kind: 'unavailable', retryable: true };
  if (status >= 500) return { kind: 'upstream', retryable: true };
  if (status >= 400) return { kind: 'invalid_request', retryable: false };
  return { kind: 'upstream', retryable: false };
}

/** The status to answer with: the upstream's own when it is an error status, else 502. */
export function answerStatus(upstreamStatus: number): number {
  return upstreamStatus >= 400 && upstreamStatus <= 599 ? upstreamStatus : 502;
}

export type HeaderBag =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (isHeadersLike(headers)) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

function isHeadersLike(headers: HeaderBag): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI) or `retry-after`
 * (seconds or an HTTP date, RFC 9110 §10.2.3).
 */
export function retryAfterMs(headers: HeaderBag | undefined, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headerValue(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
