/**
 * OpenAI Chat Completions wire format, as documented at
 * https://platform.openai.com/docs/api-reference/chat, plus the fields OpenAI-compatible
 * providers add (marked "extension", each with its provider).
 */

export interface OpenAiPromptCacheBreakpoint {
  mode: 'explicit';
}

export interface OpenAiTextPart {
  type: 'text';
  text: string;
  prompt_cache_breakpoint?: OpenAiPromptCacheBreakpoint;
}

export interface OpenAiImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
  prompt_cache_breakpoint?: OpenAiPromptCacheBreakpoint;
}

export interface OpenAiInputAudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
  prompt_cache_breakpoint?: OpenAiPromptCacheBreakpoint;
}

export interface OpenAiFilePart {
  type: 'file';
  /** `file_data` is a base64 `data:` URI. */
  file: { file_data?: string; file_id?: string; filename?: string };
  prompt_cache_breakpoint?: OpenAiPromptCacheBreakpoint;
}

export interface OpenAiRefusalPart {
  type: 'refusal';
  refusal: string;
}

export type OpenAiUserContentPart = OpenAiTextPart | OpenAiImagePart | OpenAiInputAudioPart | OpenAiFilePart;

export interface OpenAiFunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiCustomToolCall {
  id: string;
  type: 'custom';
  custom: { name: string; input: string };
}

export type OpenAiToolCall = OpenAiFunctionToolCall | OpenAiCustomToolCall;

export interface OpenAiDeveloperMessage {
  role: 'developer';
  content: string | OpenAiTextPart[];
  name?: string;
}

export interface OpenAiSystemMessage {
  role: 'system';
  content: string | OpenAiTextPart[];
  name?: string;
}

export interface OpenAiUserMessage {
  role: 'user';
  content: string | OpenAiUserContentPart[];
  name?: string;
}

export interface OpenAiAssistantMessage {
  role: 'assistant';
  content?: string | Array<OpenAiTextPart | OpenAiRefusalPart> | null;
  refusal?: string | null;
  name?: string;
  audio?: { id: string } | null;
  tool_calls?: OpenAiToolCall[];
  /** Deprecated in favour of `tool_calls`. */
  function_call?: { name: string; arguments: string } | null;
  /** Extension (DeepSeek, Moonshot, vLLM): the model's reasoning from an earlier turn. */
  reasoning_content?: string | null;
}

export interface OpenAiToolMessage {
  role: 'tool';
  content: string | OpenAiTextPart[];
  tool_call_id: string;
}

/** Deprecated in favour of `tool` messages. */
export interface OpenAiFunctionMessage {
  role: 'function';
  content: string | null;
  name: string;
}

export type OpenAiMessage =
  | OpenAiDeveloperMessage
  | OpenAiSystemMessage
  | OpenAiUserMessage
  | OpenAiAssistantMessage
  | OpenAiToolMessage
  | OpenAiFunctionMessage;

export interface OpenAiFunctionDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

export interface OpenAiFunctionTool {
  type: 'function';
  function: OpenAiFunctionDefinition;
}

export interface OpenAiCustomTool {
  type: 'custom';
  custom: {
    name: string;
    description?: string;
    format?: { type: 'text' } | { type: 'grammar'; grammar: { definition: string; syntax: 'lark' | 'regex' } };
  };
}

export type OpenAiTool = OpenAiFunctionTool | OpenAiCustomTool;

export type OpenAiToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | { type: 'custom'; custom: { name: string } }
  | { type: 'allowed_tools'; allowed_tools: { mode: 'auto' | 'required'; tools: Array<Record<string, unknown>> } };

export type OpenAiResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null };
    };

export type OpenAiReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface OpenAiStreamOptions {
  include_usage?: boolean;
  include_obfuscation?: boolean;
}

export interface OpenAiChatRequest {
  model: string;
  messages: OpenAiMessage[];
  audio?: { format: 'wav' | 'aac' | 'mp3' | 'flac' | 'opus' | 'pcm16'; voice: string | { id: string } } | null;
  frequency_penalty?: number | null;
  /** Deprecated in favour of `tool_choice`. */
  function_call?: 'none' | 'auto' | { name: string };
  /** Deprecated in favour of `tools`. */
  functions?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  max_completion_tokens?: number | null;
  /** Deprecated in favour of `max_completion_tokens`; rejected by o-series and gpt-5 models. */
  max_tokens?: number | null;
  /** Up to 16 string pairs, kept with stored completions. */
  metadata?: Record<string, string> | null;
  modalities?: Array<'text' | 'audio'> | null;
  moderation?: { model: string; policy?: { input?: { mode: 'score' | 'block' } | null; output?: { mode: 'score' | 'block' } | null } | null } | null;
  n?: number | null;
  parallel_tool_calls?: boolean;
  prediction?: { type: 'content'; content: string | OpenAiTextPart[] } | null;
  presence_penalty?: number | null;
  prompt_cache_key?: string | null;
  prompt_cache_options?: { mode?: 'implicit' | 'explicit'; ttl?: '30m' };
  prompt_cache_retention?: 'in_memory' | '24h' | null;
  reasoning_effort?: OpenAiReasoningEffort | null;
  response_format?: OpenAiResponseFormat;
  safety_identifier?: string | null;
  seed?: number | null;
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | null;
  stop?: string | string[] | null;
  store?: boolean | null;
  stream?: boolean | null;
  stream_options?: OpenAiStreamOptions | null;
  temperature?: number | null;
  tool_choice?: OpenAiToolChoice;
  tools?: OpenAiTool[];
  top_logprobs?: number | null;
  top_p?: number | null;
  /** Deprecated in favour of `safety_identifier` and `prompt_cache_key`. */
  user?: string;
  verbosity?: 'low' | 'medium' | 'high' | null;
  web_search_options?: {
    search_context_size?: 'low' | 'medium' | 'high';
    user_location?: {
      type: 'approximate';
      approximate: { city?: string; country?: string; region?: string; timezone?: string };
    } | null;
  };
  /** Extension (Together AI, Fireworks AI, DeepInfra, Perplexity, vLLM): top-k sampling. */
  top_k?: number;
}

/**
 * A same-format request body as received: only `model` is known, every other field is
 * forwarded as sent so that parameters this gateway does not know still pass through.
 */
export interface OpenAiPassThroughBody {
  model: string;
  [field: string]: unknown;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    cached_tokens?: number;
    cache_write_tokens?: number;
    audio_tokens?: number;
  } | null;
  completion_tokens_details?: {
    reasoning_tokens?: number;
    audio_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
  } | null;
  /** Extension (DeepSeek): prompt tokens served from its disk cache; https://api-docs.deepseek.com/guides/kv_cache */
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
  /** Extension (Moonshot): cached prompt tokens; https://platform.moonshot.ai/docs/api/chat */
  cached_tokens?: number;
}

export interface OpenAiUrlCitation {
  type: 'url_citation';
  url_citation: { start_index: number; end_index: number; title: string; url: string };
}

export interface OpenAiResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  annotations?: OpenAiUrlCitation[];
  audio?: { id: string; data: string; expires_at: number; transcript: string } | null;
  function_call?: { name: string; arguments: string } | null;
  tool_calls?: OpenAiToolCall[];
  /** Extension (DeepSeek, Moonshot, xAI grok-3-mini, vLLM): the model's reasoning text. */
  reasoning_content?: string | null;
  /** Extension (Groq `reasoning_format: parsed`, OpenRouter-style providers). */
  reasoning?: string | null;
}

export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAiTokenLogprob {
  token: string;
  bytes: number[] | null;
  logprob: number;
  top_logprobs: Array<{ token: string; bytes: number[] | null; logprob: number }>;
}

export interface OpenAiLogprobs {
  content: OpenAiTokenLogprob[] | null;
  refusal: OpenAiTokenLogprob[] | null;
}

export interface OpenAiChoice {
  index: number;
  message: OpenAiResponseMessage;
  /** Some compatible providers also send `model_length` (Mistral) or `error`. */
  finish_reason: OpenAiFinishReason | (string & {}) | null;
  logprobs: OpenAiLogprobs | null;
}

export interface OpenAiChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: OpenAiChoice[];
  usage?: OpenAiUsage;
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | null;
  system_fingerprint?: string;
}

export interface OpenAiToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAiChunkDelta {
  role?: 'developer' | 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  refusal?: string | null;
  function_call?: { name?: string; arguments?: string };
  tool_calls?: OpenAiToolCallDelta[];
  /** Extension, as in {@link OpenAiResponseMessage.reasoning_content}. */
  reasoning_content?: string | null;
  /** Extension, as in {@link OpenAiResponseMessage.reasoning}. */
  reasoning?: string | null;
}

export interface OpenAiChunkChoice {
  index: number;
  delta: OpenAiChunkDelta;
  finish_reason: OpenAiFinishReason | (string & {}) | null;
  logprobs?: OpenAiLogprobs | null;
  /** Extension (Moonshot): usage sits in the last chunk's choice; https://platform.moonshot.ai/docs/api/chat */
  usage?: OpenAiUsage | null;
}

export interface OpenAiChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: OpenAiChunkChoice[];
  /** Present (possibly `null`) on every chunk when `stream_options.include_usage` is set; filled on the last. */
  usage?: OpenAiUsage | null;
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | null;
  system_fingerprint?: string;
  /** Extension (Groq): usage of the stream, on its last chunk; https://console.groq.com/docs/api-reference */
  x_groq?: { id?: string; usage?: OpenAiUsage };
}

export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface OpenAiErrorBody {
  error: OpenAiErrorObject;
}
