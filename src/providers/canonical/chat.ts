import type { ProviderError } from './provider-error';

/**
 * The gateway's provider-neutral chat model. Used only when the caller's format differs from
 * the provider's: a same-format request is forwarded nearly untouched instead.
 */

export type CallerFormat = 'openai' | 'anthropic';

/** Anthropic's prompt-cache breakpoint; kept so it can be reported when a target drops it. */
export interface CanonicalCacheControl {
  ttl?: '5m' | '1h';
}

export type CanonicalMediaSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string };

export interface CanonicalTextPart {
  type: 'text';
  text: string;
  cacheControl?: CanonicalCacheControl;
}

export interface CanonicalImagePart {
  type: 'image';
  source: CanonicalMediaSource;
  cacheControl?: CanonicalCacheControl;
  /** The caller's field path, to name the part if a target refuses it. */
  path?: string;
}

/** A document such as a PDF (OpenAI `file` part, Anthropic `document` block). */
export interface CanonicalFilePart {
  type: 'file';
  source: CanonicalMediaSource;
  filename?: string;
  cacheControl?: CanonicalCacheControl;
  /** The caller's field path, to name the part if a target refuses it. */
  path?: string;
}

export interface CanonicalToolUsePart {
  type: 'tool_use';
  id: string;
  name: string;
  /** The parsed arguments object. */
  input: unknown;
  cacheControl?: CanonicalCacheControl;
}

export interface CanonicalToolResultPart {
  type: 'tool_result';
  toolUseId: string;
  content: Array<CanonicalTextPart | CanonicalImagePart>;
  isError: boolean;
  cacheControl?: CanonicalCacheControl;
  /** The caller's field path, to name the part if a target refuses it. */
  path?: string;
}

export interface CanonicalThinkingPart {
  type: 'thinking';
  text: string;
  /** Anthropic's signature over the thinking text; absent when it came from another provider. */
  signature?: string;
}

export type CanonicalUserPart = CanonicalTextPart | CanonicalImagePart | CanonicalFilePart | CanonicalToolResultPart;
export type CanonicalAssistantPart = CanonicalTextPart | CanonicalToolUsePart | CanonicalThinkingPart;

export type CanonicalMessage =
  | { role: 'user'; content: CanonicalUserPart[] }
  | { role: 'assistant'; content: CanonicalAssistantPart[] };

export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CanonicalCacheControl;
}

export type CanonicalToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type CanonicalResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; description?: string; schema: Record<string, unknown>; strict: boolean };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** `enabled` without effort or budget leaves the depth to the provider (Anthropic "adaptive"). */
export type CanonicalReasoning =
  | { mode: 'disabled' }
  | { mode: 'enabled'; effort?: ReasoningEffort; budgetTokens?: number };

/** Request parameters a target may be unable to express; used to name them in the caller's terms. */
export type CanonicalParam =
  | 'messages'
  | 'system'
  | 'tools'
  | 'toolChoice'
  | 'parallelToolCalls'
  | 'maxTokens'
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'stop'
  | 'seed'
  | 'frequencyPenalty'
  | 'presencePenalty'
  | 'responseFormat'
  | 'reasoning'
  | 'user'
  | 'stream'
  | 'includeUsage';

export interface CanonicalSource {
  format: CallerFormat;
  /** The caller's field path for each canonical parameter, for error messages and drop reports. */
  fieldNames: Readonly<Record<CanonicalParam, string>>;
  /** Caller fields dropped while decoding, each by a documented rule. */
  dropped: string[];
}

export interface CanonicalChatRequest {
  model: string;
  system: CanonicalTextPart[];
  messages: CanonicalMessage[];
  tools?: CanonicalTool[];
  toolChoice?: CanonicalToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  responseFormat?: CanonicalResponseFormat;
  reasoning?: CanonicalReasoning;
  /** End-user identifier for abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  stream: boolean;
  /** Whether the caller wants token usage reported at the end of a stream. */
  includeUsage: boolean;
  source: CanonicalSource;
}

export type CanonicalStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter' | 'error';

/**
 * Token counts. `inputTokens` counts every prompt token, cache reads and writes included
 * (OpenAI `prompt_tokens`; Anthropic `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`).
 */
export interface CanonicalUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  /** Reasoning tokens, already included in `outputTokens`, when the provider reports them. */
  reasoningTokens?: number;
}

export interface CanonicalChatResponse {
  id: string;
  /** The model the provider says served the request. */
  model: string;
  content: CanonicalAssistantPart[];
  stopReason: CanonicalStopReason;
  /** The stop sequence that ended generation, when the provider reports it. */
  stopSequence?: string;
  usage: CanonicalUsage;
}

/**
 * A streamed response. Content blocks are sequential: once a block with a higher index has
 * started, earlier blocks receive no more deltas. Text and thinking blocks start with their
 * first delta; a `usage` event carries cumulative counts (the latest value of a field wins).
 */
export type CanonicalStreamEvent =
  | { type: 'message_start'; id: string; model: string }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; argumentsJson: string }
  | { type: 'content_block_stop'; index: number }
  | { type: 'usage'; usage: Partial<CanonicalUsage> }
  | { type: 'message_stop'; stopReason: CanonicalStopReason; stopSequence?: string }
  | { type: 'error'; error: ProviderError };

export function emptyUsage(): CanonicalUsage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
}

/** Folds a partial usage report into an accumulated one. */
export function mergeUsage(into: CanonicalUsage, update: Partial<CanonicalUsage>): CanonicalUsage {
  const merged: CanonicalUsage = {
    inputTokens: update.inputTokens ?? into.inputTokens,
    outputTokens: update.outputTokens ?? into.outputTokens,
    cachedInputTokens: update.cachedInputTokens ?? into.cachedInputTokens,
    cacheWriteTokens: update.cacheWriteTokens ?? into.cacheWriteTokens,
  };
  const reasoningTokens = update.reasoningTokens ?? into.reasoningTokens;
  if (reasoningTokens !== undefined) merged.reasoningTokens = reasoningTokens;
  return merged;
}

/** Renders a base64 source as a `data:` URI. */
export function toDataUri(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** Parses a base64 `data:` URI; `undefined` for anything else. */
export function parseDataUri(uri: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]+)*);base64,(.*)$/s.exec(uri);
  if (!match) return undefined;
  return { mediaType: match[1].toLowerCase(), data: match[3] };
}
