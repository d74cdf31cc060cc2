/**
 * Anthropic Messages wire format, as documented at https://docs.anthropic.com/en/api/messages
 * and https://docs.anthropic.com/en/docs/build-with-claude/streaming.
 */

export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export type AnthropicImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export type AnthropicImageSource =
  | { type: 'base64'; media_type: AnthropicImageMediaType; data: string }
  | { type: 'url'; url: string }
  | { type: 'file'; file_id: string };

export type AnthropicDocumentSource =
  | { type: 'base64'; media_type: 'application/pdf'; data: string }
  | { type: 'text'; media_type: 'text/plain'; data: string }
  | { type: 'url'; url: string }
  | { type: 'content'; content: string | Array<AnthropicTextBlockParam | AnthropicImageBlockParam> }
  | { type: 'file'; file_id: string };

export interface AnthropicCitationParam {
  type: 'char_location' | 'page_location' | 'content_block_location' | 'web_search_result_location' | 'search_result_location';
  cited_text: string;
  [field: string]: unknown;
}

export interface AnthropicTextBlockParam {
  type: 'text';
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: AnthropicCitationParam[] | null;
}

export interface AnthropicImageBlockParam {
  type: 'image';
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl | null;
}

export interface AnthropicDocumentBlockParam {
  type: 'document';
  source: AnthropicDocumentSource;
  cache_control?: AnthropicCacheControl | null;
  citations?: { enabled?: boolean } | null;
  context?: string | null;
  title?: string | null;
}

export interface AnthropicSearchResultBlockParam {
  type: 'search_result';
  source: string;
  title: string;
  content: AnthropicTextBlockParam[];
  cache_control?: AnthropicCacheControl | null;
  citations?: { enabled?: boolean };
}

export interface AnthropicThinkingBlockParam {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlockParam {
  type: 'redacted_thinking';
  data: string;
}

export interface AnthropicToolUseBlockParam {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
}

export interface AnthropicToolResultBlockParam {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<AnthropicTextBlockParam | AnthropicImageBlockParam | AnthropicDocumentBlockParam | AnthropicSearchResultBlockParam>;
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

/** Blocks of server-run tools (web search, code execution, …); only meaningful to Anthropic. */
export interface AnthropicServerToolBlockParam {
  type:
    | 'server_tool_use'
    | 'web_search_tool_result'
    | 'web_fetch_tool_result'
    | 'code_execution_tool_result'
    | 'bash_code_execution_tool_result'
    | 'text_editor_code_execution_tool_result'
    | 'tool_search_tool_result'
    | 'mcp_tool_use'
    | 'mcp_tool_result'
    | 'container_upload';
  [field: string]: unknown;
}

export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicDocumentBlockParam
  | AnthropicSearchResultBlockParam
  | AnthropicThinkingBlockParam
  | AnthropicRedactedThinkingBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam
  | AnthropicServerToolBlockParam;

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlockParam[];
}

export interface AnthropicCustomTool {
  /** `custom` or absent for a client tool. */
  type?: 'custom' | null;
  name: string;
  description?: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown> | null; required?: string[] | null; [keyword: string]: unknown };
  cache_control?: AnthropicCacheControl | null;
  strict?: boolean;
  /** Beta tool-use features; translated nowhere. */
  input_examples?: Array<Record<string, unknown>>;
  defer_loading?: boolean;
  allowed_callers?: string[];
  eager_input_streaming?: boolean | null;
}

/** An Anthropic-defined tool (`web_search_20250305`, `bash_20250124`, `text_editor_…`, …). */
export interface AnthropicServerTool {
  type: string;
  name: string;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

export type AnthropicTool = AnthropicCustomTool | AnthropicServerTool;

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type AnthropicThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' | null }
  | { type: 'disabled' }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' | null };

export type AnthropicEffort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface AnthropicOutputConfig {
  effort?: AnthropicEffort | null;
  format?: { type: 'json_schema'; schema: Record<string, unknown> } | null;
}

export interface AnthropicMcpServer {
  type: 'url';
  url: string;
  name: string;
  authorization_token?: string | null;
  tool_configuration?: { enabled?: boolean | null; allowed_tools?: string[] | null } | null;
}

export interface AnthropicMessagesRequest {
  model: string;
  messages: AnthropicMessageParam[];
  max_tokens: number;
  system?: string | AnthropicTextBlockParam[];
  metadata?: { user_id?: string | null };
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  output_config?: AnthropicOutputConfig;
  service_tier?: 'auto' | 'standard_only';
  /** Applies a cache breakpoint to the last cacheable block. */
  cache_control?: AnthropicCacheControl | null;
  container?: string | { id?: string | null; skills?: Array<Record<string, unknown>> | null } | null;
  mcp_servers?: AnthropicMcpServer[];
  context_management?: Record<string, unknown> | null;
  inference_geo?: string | null;
  speed?: 'standard' | 'fast' | null;
  diagnostics?: { previous_message_id?: string | null } | null;
}

/** A same-format request body as received: every field but `model` is forwarded as sent. */
export interface AnthropicPassThroughBody {
  model: string;
  [field: string]: unknown;
}

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  server_tool_use?: { web_search_requests: number; web_fetch_requests?: number } | null;
  service_tier?: 'standard' | 'priority' | 'batch' | null;
}

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  citations?: Array<Record<string, unknown>> | null;
}

export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

/** Server-tool blocks (`server_tool_use`, `web_search_tool_result`, …). */
export interface AnthropicServerToolBlock {
  type: AnthropicServerToolBlockParam['type'];
  [field: string]: unknown;
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicServerToolBlock;

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
  container?: { id: string; expires_at: string } | null;
}

export type AnthropicContentDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: Record<string, unknown> };

export interface AnthropicMessageDeltaUsage {
  output_tokens: number;
  /** Cumulative; newer API versions repeat the input counts here. */
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  server_tool_use?: { web_search_requests: number; web_fetch_requests?: number } | null;
}

export type AnthropicStreamEvent =
  | { type: 'message_start'; message: AnthropicMessage }
  | { type: 'content_block_start'; index: number; content_block: AnthropicContentBlock }
  | { type: 'content_block_delta'; index: number; delta: AnthropicContentDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null };
      usage: AnthropicMessageDeltaUsage;
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | AnthropicErrorBody;

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType | (string & {}); message: string; details?: { error_code?: string } | null };
  request_id?: string;
}
