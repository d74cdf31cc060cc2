import { isObject, isString, parseJson } from '../canonical/json-guards';
import {
  answerStatus,
  classifyUpstreamStatus,
  type HeaderBag,
  ProviderError,
  type ProviderErrorKind,
  retryAfterMs,
} from '../canonical/provider-error';
import type { AnthropicErrorBody, AnthropicErrorType } from './anthropic.wire';

/** HTTP status of each error type, for errors sent inside a stream (https://docs.anthropic.com/en/api/errors). */
const STATUS_BY_ERROR_TYPE: Readonly<Record<AnthropicErrorType, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function isErrorType(value: string): value is AnthropicErrorType {
  return Object.hasOwn(STATUS_BY_ERROR_TYPE, value);
}

interface AnthropicErrorDetails {
  type?: string;
  message?: string;
  /** e.g. `enforced_spend_limit_reached` on a 429 that waiting will not clear. */
  errorCode?: string;
}

function readAnthropicError(body: unknown): AnthropicErrorDetails {
  const json = typeof body === 'string' ? parseJson(body) ?? body : body;
  if (isString(json)) return json.trim() === '' ? {} : { message: json.trim().slice(0, 2000) };
  if (!isObject(json) || !isObject(json.error)) return {};
  const error = json.error;
  const code = isObject(error.details) && isString(error.details.error_code) ? error.details.error_code : undefined;
  return {
    ...(isString(error.type) ? { type: error.type } : {}),
    ...(isString(error.message) ? { message: error.message } : {}),
    ...(code !== undefined ? { errorCode: code } : {}),
  };
}

/**
 * Maps an Anthropic error answer to a {@link ProviderError}; `status` is `undefined` for an
 * `error` event inside a stream. 529 `overloaded_error` is `unavailable` and retryable.
 */
export function anthropicErrorToProviderError(
  status: number | undefined,
  body: unknown,
  headers?: HeaderBag,
  knownSecrets?: readonly string[],
): ProviderError {
  const upstream = readAnthropicError(body);
  const effectiveStatus = status ?? (upstream.type !== undefined && isErrorType(upstream.type) ? STATUS_BY_ERROR_TYPE[upstream.type] : 500);
  const { kind, retryable } = classifyUpstreamStatus(effectiveStatus);
  const wait = retryAfterMs(headers);
  const providerCode = upstream.errorCode ?? upstream.type;
  return new ProviderError({
    kind,
    status: answerStatus(effectiveStatus),
    message: upstream.message ?? `The provider answered HTTP ${effectiveStatus}.`,
    retryable,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(knownSecrets ? { knownSecrets } : {}),
  });
}

const TYPE_BY_STATUS: Readonly<Record<number, AnthropicErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const TYPE_BY_KIND: Readonly<Record<ProviderErrorKind, AnthropicErrorType>> = {
  auth: 'authentication_error',
  rate_limited: 'rate_limit_error',
  invalid_request: 'invalid_request_error',
  not_found: 'not_found_error',
  unavailable: 'overloaded_error',
  timeout: 'timeout_error',
  upstream: 'api_error',
};

/** The error body Anthropic clients expect, `{type: "error", error: {type, message}}`. */
export function providerErrorToAnthropicBody(error: ProviderError): AnthropicErrorBody {
  const type = TYPE_BY_STATUS[error.status] ?? TYPE_BY_KIND[error.kind];
  return { type: 'error', error: { type, message: error.message } };
}
