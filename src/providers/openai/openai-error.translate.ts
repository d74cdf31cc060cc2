import { isObject, isString, parseJson } from '../canonical/json-guards';
import {
  answerStatus,
  classifyUpstreamStatus,
  type HeaderBag,
  ProviderError,
  type ProviderErrorKind,
  retryAfterMs,
} from '../canonical/provider-error';
import type { OpenAiErrorBody } from './openai.wire';

export interface UpstreamErrorDetails {
  message: string;
  /** `error.code`, else `error.type`, as sent. */
  code?: string;
  type?: string;
}

/**
 * Extracts the message and code from an error body of an OpenAI-compatible provider. Besides
 * OpenAI's `{error: {message, type, code}}`: Mistral's top-level `{message, type, code}` (with
 * `message` possibly a validation object), DeepInfra's `{detail: …}`, xAI's `{code, error}`.
 */
export function readOpenAiCompatibleError(body: unknown): UpstreamErrorDetails | undefined {
  const json = typeof body === 'string' ? parseJson(body) ?? body : body;
  if (isString(json)) return json.trim() === '' ? undefined : { message: json.trim().slice(0, 2000) };
  if (!isObject(json)) return undefined;
  const error = json.error;
  if (isObject(error)) return details(error.message, error.code, error.type);
  if (isString(error)) return details(error, json.code, json.type);
  if (json.message !== undefined) return details(json.message, json.code, json.type);
  if (json.detail !== undefined) return details(isObject(json.detail) ? json.detail.error ?? json.detail : json.detail, undefined, undefined);
  return undefined;
}

function details(message: unknown, code: unknown, type: unknown): UpstreamErrorDetails {
  const text = isString(message) ? message : JSON.stringify(message);
  const typeText = isString(type) ? type : undefined;
  const codeText = isString(code) ? code : typeof code === 'number' ? String(code) : typeText;
  return {
    message: text,
    ...(codeText !== undefined ? { code: codeText } : {}),
    ...(typeText !== undefined ? { type: typeText } : {}),
  };
}

/** Status for an error reported without one (inside a stream), from OpenAI's error type or code. */
function statusForErrorCode(code: string | undefined): number {
  switch (code) {
    case 'invalid_request_error':
    case 'context_length_exceeded':
      return 400;
    case 'invalid_api_key':
    case 'authentication_error':
      return 401;
    case 'rate_limit_exceeded':
    case 'insufficient_quota':
    case 'tokens':
    case 'requests':
      return 429;
    default:
      return 500;
  }
}

/**
 * Maps an OpenAI-compatible error answer to a {@link ProviderError}. `status` is the HTTP
 * status, or `undefined` for an error sent inside a stream. The message is redacted.
 */
export function openAiErrorToProviderError(
  status: number | undefined,
  body: unknown,
  headers?: HeaderBag,
  knownSecrets?: readonly string[],
): ProviderError {
  const upstream = readOpenAiCompatibleError(body);
  const effectiveStatus = status ?? statusForErrorCode(upstream?.code ?? upstream?.type);
  const { kind, retryable } = classifyUpstreamStatus(effectiveStatus);
  const wait = retryAfterMs(headers);
  return new ProviderError({
    kind,
    status: answerStatus(effectiveStatus),
    message: upstream?.message ?? `The provider answered HTTP ${effectiveStatus}.`,
    retryable,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    ...(upstream?.code !== undefined ? { providerCode: upstream.code } : {}),
    ...(knownSecrets ? { knownSecrets } : {}),
  });
}

const OPENAI_ERROR_TYPES: Readonly<Record<ProviderErrorKind, string>> = {
  auth: 'authentication_error',
  rate_limited: 'rate_limit_error',
  invalid_request: 'invalid_request_error',
  not_found: 'not_found_error',
  unavailable: 'service_unavailable_error',
  timeout: 'timeout_error',
  upstream: 'api_error',
};

const OPENAI_DEFAULT_CODES: Readonly<Partial<Record<ProviderErrorKind, string>>> = {
  rate_limited: 'rate_limit_exceeded',
  not_found: 'model_not_found',
};

/** The error body OpenAI clients expect, `{error: {message, type, param, code}}`. */
export function providerErrorToOpenAiBody(error: ProviderError): OpenAiErrorBody {
  const type = error.status === 403 ? 'permission_error' : OPENAI_ERROR_TYPES[error.kind];
  return {
    error: {
      message: error.message,
      type,
      param: null,
      code: error.providerCode ?? OPENAI_DEFAULT_CODES[error.kind] ?? null,
    },
  };
}
