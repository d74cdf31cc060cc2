import type { FieldError } from '../../platform/errors/domain-error';
import {
  type CanonicalAssistantPart,
  type CanonicalCacheControl,
  type CanonicalChatRequest,
  type CanonicalChatResponse,
  type CanonicalMediaSource,
  type CanonicalMessage,
  type CanonicalParam,
  type CanonicalReasoning,
  type CanonicalResponseFormat,
  type CanonicalStopReason,
  type CanonicalTextPart,
  type CanonicalTool,
  type CanonicalToolChoice,
  type CanonicalUsage,
  type CanonicalUserPart,
  parseDataUri,
  toDataUri,
} from '../canonical/chat';
import { isObject, isString, type JsonObject, optionalNumber, parseJson } from '../canonical/json-guards';
import { InvalidProviderResponse, UnsupportedParameter } from '../canonical/translation.errors';
import { applyParamRules, harmless, type ParamRules } from '../canonical/param-rules';
import { applyProfile } from '../openai-compatible/apply-profile';
import type { OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';
import type {
  OpenAiAssistantMessage,
  OpenAiChatCompletion,
  OpenAiChatRequest,
  OpenAiFinishReason,
  OpenAiMessage,
  OpenAiPassThroughBody,
  OpenAiReasoningEffort,
  OpenAiResponseFormat,
  OpenAiTextPart,
  OpenAiTool,
  OpenAiToolCall,
  OpenAiToolChoice,
  OpenAiUsage,
  OpenAiUserContentPart,
} from './openai.wire';

/**
 * OpenAI request fields dropped when the request is translated to another provider's format,
 * with the reason for each. Paths with `[]` apply to every element.
 */
export const OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED = {
  store: 'stores the completion on OpenAI; no other provider keeps it',
  metadata: 'tags completions stored on OpenAI (see store)',
  service_tier: "selects an OpenAI processing tier; the target's tiers are its own",
  prompt_cache_key: "routes OpenAI's prompt cache; the target caches by its own rules",
  prompt_cache_retention: "sets how long OpenAI's prompt cache is kept",
  prompt_cache_options: "configures OpenAI's prompt cache",
  safety_identifier: 'sent as the end-user id only when `user` is absent; the target takes one id',
  'stream_options.include_obfuscation': 'pads OpenAI stream events; the gateway writes the stream itself',
  'messages[].name': 'participant names have no equivalent in the target format',
  'messages[].reasoning_content': "an earlier turn's reasoning cannot be replayed to another provider",
  'messages[].content[].image_url.detail': 'the target chooses image resolution itself',
} as const satisfies Readonly<Record<string, string>>;

const TRANSLATION = 'not supported when the request is translated to another provider';

/** OpenAI request fields the canonical model cannot carry; always rejected when translating. */
export const OPENAI_FIELDS_REJECTED_WHEN_TRANSLATED: ParamRules = {
  n: { action: 'reject', reason: 'only one choice can be generated', harmlessWhen: harmless.isOne },
  logprobs: { action: 'reject', reason: 'log probabilities cannot be returned', harmlessWhen: harmless.isFalse },
  top_logprobs: { action: 'reject', reason: 'log probabilities cannot be returned', harmlessWhen: harmless.isZero },
  logit_bias: { action: 'reject', reason: 'token ids are specific to OpenAI tokenizers', harmlessWhen: harmless.isEmptyObject },
  audio: { action: 'reject', reason: 'audio output is an OpenAI feature' },
  modalities: { action: 'reject', reason: 'only text output is available', harmlessWhen: harmless.isTextOnly },
  prediction: { action: 'reject', reason: 'Predicted Outputs are an OpenAI feature' },
  web_search_options: { action: 'reject', reason: "OpenAI's built-in web search is not available" },
  verbosity: { action: 'reject', reason: 'output verbosity control is an OpenAI feature' },
  moderation: { action: 'reject', reason: 'moderation results are an OpenAI feature' },
  functions: { action: 'reject', reason: 'the deprecated `functions` are not translated; use `tools`' },
  function_call: { action: 'reject', reason: 'the deprecated `function_call` is not translated; use `tool_choice`' },
};

const DROPPED_TOP_LEVEL: ParamRules = {
  store: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.store },
  metadata: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.metadata },
  service_tier: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.service_tier },
  prompt_cache_key: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.prompt_cache_key },
  prompt_cache_retention: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.prompt_cache_retention },
  prompt_cache_options: { action: 'drop', reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED.prompt_cache_options },
  'stream_options.include_obfuscation': {
    action: 'drop',
    reason: OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED['stream_options.include_obfuscation'],
  },
};

const OPENAI_FIELD_NAMES: Readonly<Record<CanonicalParam, string>> = {
  messages: 'messages',
  system: 'messages',
  tools: 'tools',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'parallel_tool_calls',
  maxTokens: 'max_completion_tokens',
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  stop: 'stop',
  seed: 'seed',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  responseFormat: 'response_format',
  reasoning: 'reasoning_effort',
  user: 'user',
  stream: 'stream',
  includeUsage: 'stream_options.include_usage',
};

// ---------------------------------------------------------------------------------------------
// OpenAI request -> canonical
// ---------------------------------------------------------------------------------------------

/**
 * Decodes an OpenAI Chat Completions request for a provider of another format. Fields the
 * canonical model cannot carry are rejected by name; the rest of
 * {@link OPENAI_FIELDS_DROPPED_WHEN_TRANSLATED} are dropped and listed in `source.dropped`.
 */
export function openAiRequestToCanonical(body: OpenAiChatRequest): CanonicalChatRequest {
  const checked = applyParamRules({ ...body }, { ...OPENAI_FIELDS_REJECTED_WHEN_TRANSLATED, ...DROPPED_TOP_LEVEL }, TRANSLATION);
  if (checked.rejected.length > 0) throw new UnsupportedParameter(checked.rejected);
  const decoder = new RequestDecoder(checked.dropped);
  const { system, messages } = decoder.messages(body.messages);
  const request: CanonicalChatRequest = {
    model: body.model,
    system,
    messages,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
    source: { format: 'openai', fieldNames: fieldNamesFor(body), dropped: decoder.dropped },
  };
  if (body.tools !== undefined) request.tools = body.tools.map((tool, i) => decodeTool(tool, i));
  if (body.tool_choice !== undefined) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (body.parallel_tool_calls !== undefined) request.parallelToolCalls = body.parallel_tool_calls;
  assignNumber(request, 'maxTokens', body.max_completion_tokens ?? body.max_tokens);
  assignNumber(request, 'temperature', body.temperature);
  assignNumber(request, 'topP', body.top_p);
  assignNumber(request, 'topK', body.top_k);
  assignNumber(request, 'seed', body.seed);
  assignNumber(request, 'frequencyPenalty', body.frequency_penalty);
  assignNumber(request, 'presencePenalty', body.presence_penalty);
  if (body.stop !== undefined && body.stop !== null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.response_format !== undefined) request.responseFormat = decodeResponseFormat(body.response_format);
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null) {
    request.reasoning = decodeReasoningEffort(body.reasoning_effort);
  }
  const user = body.user ?? body.safety_identifier ?? undefined;
  if (user !== undefined) request.user = user;
  if (body.user !== undefined && isString(body.safety_identifier)) decoder.dropped.push('safety_identifier');
  return request;
}

type NumericParam = 'maxTokens' | 'temperature' | 'topP' | 'topK' | 'seed' | 'frequencyPenalty' | 'presencePenalty';

function assignNumber(request: CanonicalChatRequest, param: NumericParam, value: number | null | undefined): void {
  if (value !== undefined && value !== null) request[param] = value;
}

function fieldNamesFor(body: OpenAiChatRequest): Readonly<Record<CanonicalParam, string>> {
  const maxTokens = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const user = body.user === undefined && isString(body.safety_identifier) ? 'safety_identifier' : 'user';
  return { ...OPENAI_FIELD_NAMES, maxTokens, user };
}

class RequestDecoder {
  readonly dropped: string[];
  private readonly droppedOnce = new Set<string>();

  constructor(dropped: string[]) {
    this.dropped = [...dropped];
  }

  messages(input: OpenAiMessage[]): { system: CanonicalTextPart[]; messages: CanonicalMessage[] } {
    const system: CanonicalTextPart[] = [];
    const messages: CanonicalMessage[] = [];
    input.forEach((message, i) => {
      if ('name' in message && message.role !== 'function' && message.name !== undefined) this.drop('messages[].name');
      switch (message.role) {
        case 'system':
        case 'developer':
          system.push(...this.textParts(message.content, `messages[${i}].content`));
          return;
        case 'user':
          messages.push({ role: 'user', content: this.userParts(message.content, i) });
          return;
        case 'assistant':
          messages.push({ role: 'assistant', content: this.assistantParts(message, i) });
          return;
        case 'tool':
          messages.push({
            role: 'user',
            content: [
              {
                type: 'tool_result',
                toolUseId: message.tool_call_id,
                content: this.textParts(message.content, `messages[${i}].content`),
                isError: false,
                path: `messages[${i}]`,
              },
            ],
          });
          return;
        case 'function':
          throw UnsupportedParameter.of(`messages[${i}].role`, `${TRANSLATION}: deprecated \`function\` messages; use \`tool\` messages`);
        default:
          throw UnsupportedParameter.of(`messages[${i}].role`, `${TRANSLATION}: unknown role`);
      }
    });
    return { system, messages };
  }

  private drop(path: string): void {
    if (this.droppedOnce.has(path)) return;
    this.droppedOnce.add(path);
    this.dropped.push(path);
  }

  private textParts(content: string | OpenAiTextPart[] | null, path: string): CanonicalTextPart[] {
    if (content === null) return [];
    if (typeof content === 'string') return [{ type: 'text', text: content }];
    return content.map((part, j) => {
      if (part.type !== 'text') throw UnsupportedParameter.of(`${path}[${j}].type`, `${TRANSLATION}: only text parts are allowed here`);
      return textPart(part);
    });
  }

  private userParts(content: string | OpenAiUserContentPart[], i: number): CanonicalUserPart[] {
    if (typeof content === 'string') return [{ type: 'text', text: content }];
    return content.map((part, j) => this.userPart(part, `messages[${i}].content[${j}]`));
  }

  private userPart(part: OpenAiUserContentPart, path: string): CanonicalUserPart {
    switch (part.type) {
      case 'text':
        return textPart(part);
      case 'image_url': {
        if (part.image_url.detail !== undefined) this.drop('messages[].content[].image_url.detail');
        const data = parseDataUri(part.image_url.url);
        const source = data ? { kind: 'base64' as const, ...data } : { kind: 'url' as const, url: part.image_url.url };
        return { type: 'image', source, path, ...cacheControlOf(part) };
      }
      case 'file': {
        const data = part.file.file_data === undefined ? undefined : parseDataUri(part.file.file_data);
        if (!data) {
          throw UnsupportedParameter.of(`${path}.file`, `${TRANSLATION}: only inline \`file_data\` (a base64 data: URI) can be translated, not OpenAI file ids`);
        }
        return {
          type: 'file',
          source: { kind: 'base64', ...data },
          path,
          ...(part.file.filename !== undefined ? { filename: part.file.filename } : {}),
          ...cacheControlOf(part),
        };
      }
      case 'input_audio':
        throw UnsupportedParameter.of(path, `${TRANSLATION}: audio input`);
      default:
        throw UnsupportedParameter.of(`${path}.type`, `${TRANSLATION}: unknown content part type`);
    }
  }

  private assistantParts(message: OpenAiAssistantMessage, i: number): CanonicalAssistantPart[] {
    const path = `messages[${i}]`;
    if (message.audio !== undefined && message.audio !== null) throw UnsupportedParameter.of(`${path}.audio`, `${TRANSLATION}: audio responses`);
    if (message.function_call !== undefined && message.function_call !== null) {
      throw UnsupportedParameter.of(`${path}.function_call`, `${TRANSLATION}: the deprecated \`function_call\`; use \`tool_calls\``);
    }
    if (message.reasoning_content !== undefined && message.reasoning_content !== null) this.drop('messages[].reasoning_content');
    const parts: CanonicalAssistantPart[] = [];
    const content = message.content ?? null;
    if (typeof content === 'string') parts.push({ type: 'text', text: content });
    if (Array.isArray(content)) {
      content.forEach((part, j) => {
        if (part.type === 'text') parts.push(textPart(part));
        else if (part.type === 'refusal') parts.push({ type: 'text', text: part.refusal });
        else throw UnsupportedParameter.of(`${path}.content[${j}].type`, `${TRANSLATION}: unknown content part type`);
      });
    }
    if (content === null && isString(message.refusal)) parts.push({ type: 'text', text: message.refusal });
    (message.tool_calls ?? []).forEach((call, j) => parts.push(decodeToolCall(call, `${path}.tool_calls[${j}]`)));
    return parts;
  }
}

function textPart(part: OpenAiTextPart): CanonicalTextPart {
  return { type: 'text', text: part.text, ...cacheControlOf(part) };
}

/** OpenAI's explicit prompt-cache breakpoint is the same thing as an Anthropic cache_control marker. */
function cacheControlOf(part: { prompt_cache_breakpoint?: { mode: 'explicit' } }): { cacheControl?: CanonicalCacheControl } {
  return part.prompt_cache_breakpoint?.mode === 'explicit' ? { cacheControl: {} } : {};
}

function decodeToolCall(call: OpenAiToolCall, path: string): CanonicalAssistantPart {
  if (call.type !== 'function') throw UnsupportedParameter.of(`${path}.type`, `${TRANSLATION}: custom tool calls`);
  const input = call.function.arguments.trim() === '' ? {} : parseJson(call.function.arguments);
  if (!isObject(input)) {
    throw UnsupportedParameter.of(`${path}.function.arguments`, `${TRANSLATION}: arguments must be a JSON object`);
  }
  return { type: 'tool_use', id: call.id, name: call.function.name, input };
}

function decodeTool(tool: OpenAiTool, i: number): CanonicalTool {
  if (tool.type !== 'function') throw UnsupportedParameter.of(`tools[${i}].type`, `${TRANSLATION}: custom (free-form) tools`);
  const fn = tool.function;
  return {
    name: fn.name,
    inputSchema: fn.parameters ?? { type: 'object', properties: {} },
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
  };
}

function decodeToolChoice(choice: OpenAiToolChoice): CanonicalToolChoice {
  if (typeof choice === 'string') return { type: choice };
  if (choice.type === 'function') return { type: 'tool', name: choice.function.name };
  throw UnsupportedParameter.of('tool_choice', `${TRANSLATION}: \`${choice.type}\` tool choice`);
}

function decodeResponseFormat(format: OpenAiResponseFormat): CanonicalResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const spec = format.json_schema;
  return {
    type: 'json_schema',
    name: spec.name,
    schema: spec.schema ?? {},
    strict: spec.strict === true,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
  };
}

function decodeReasoningEffort(effort: OpenAiReasoningEffort): CanonicalReasoning {
  return effort === 'none' ? { mode: 'disabled' } : { mode: 'enabled', effort };
}

// ---------------------------------------------------------------------------------------------
// canonical -> OpenAI request
// ---------------------------------------------------------------------------------------------

/**
 * Canonical fields dropped when writing an OpenAI request, with the reason. Reported in the
 * caller's own terms (`source.fieldNames`, or the caller's path).
 */
export const CANONICAL_FIELDS_DROPPED_FOR_OPENAI = {
  cacheControl: 'OpenAI-compatible providers cache prompt prefixes automatically; breakpoints have no equivalent',
  thinking: "earlier turns' thinking blocks have no input field in Chat Completions",
  reasoningDisabled: 'Chat Completions has no provider-independent way to turn reasoning off; the model default applies',
  toolResultError: 'tool messages have no error flag; the result text is sent as is',
  toolChoice: 'an `auto` or `none` tool choice without tools has no effect',
} as const satisfies Readonly<Record<string, string>>;

/** Reasoning effort for an Anthropic-style thinking budget (tokens): below 4096 low, below 16384 medium, else high. */
export function effortForBudget(budgetTokens: number): OpenAiReasoningEffort {
  if (budgetTokens < 4096) return 'low';
  if (budgetTokens < 16384) return 'medium';
  return 'high';
}

export interface TranslatedRequest<T> {
  body: T;
  /** Caller fields dropped on the way, each by a documented rule. */
  dropped: string[];
}

/**
 * Writes a canonical request as an OpenAI Chat Completions body, fitted to `profile` when
 * given. Streams always ask for usage when the provider needs to be asked.
 */
export function canonicalToOpenAiRequest(
  req: CanonicalChatRequest,
  profile?: OpenAiCompatibleProfile,
): TranslatedRequest<OpenAiPassThroughBody> {
  const encoder = new RequestEncoder(req);
  const body: OpenAiChatRequest = { model: req.model, messages: encoder.messages() };
  if (req.tools !== undefined) body.tools = req.tools.map((tool) => encoder.tool(tool));
  const toolChoice = encoder.toolChoice();
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (req.parallelToolCalls !== undefined && req.tools !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop !== undefined) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.responseFormat !== undefined) body.response_format = encodeResponseFormat(req.responseFormat);
  const effort = encoder.reasoningEffort();
  if (effort !== undefined) body.reasoning_effort = effort;
  if (req.user !== undefined) body.user = req.user;
  if (req.stream) {
    body.stream = true;
    if ((profile?.quirks.streamUsage ?? 'stream_options') === 'stream_options') body.stream_options = { include_usage: true };
  }
  if (!profile) return { body: { ...body }, dropped: encoder.dropped };
  return fitToProfile(body, profile, req, encoder.dropped);
}

const OPENAI_PARAM_TO_CANONICAL: Readonly<Record<string, CanonicalParam>> = {
  messages: 'messages',
  tools: 'tools',
  tool_choice: 'toolChoice',
  parallel_tool_calls: 'parallelToolCalls',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  temperature: 'temperature',
  top_p: 'topP',
  top_k: 'topK',
  stop: 'stop',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  response_format: 'responseFormat',
  reasoning_effort: 'reasoning',
  user: 'user',
  stream: 'stream',
  stream_options: 'includeUsage',
};

function callerField(req: CanonicalChatRequest, openAiPath: string): string {
  const head = openAiPath.split(/[.[]/, 1)[0];
  const param = OPENAI_PARAM_TO_CANONICAL[head];
  return param === undefined ? openAiPath : req.source.fieldNames[param];
}

function fitToProfile(
  body: OpenAiChatRequest,
  profile: OpenAiCompatibleProfile,
  req: CanonicalChatRequest,
  dropped: string[],
): TranslatedRequest<OpenAiPassThroughBody> {
  try {
    const fitted = applyProfile({ ...body }, profile);
    return { body: fitted.body, dropped: [...dropped, ...fitted.dropped.map((path) => callerField(req, path))] };
  } catch (error) {
    if (!(error instanceof UnsupportedParameter)) throw error;
    const errors: FieldError[] = error.errors.map((e) => ({ field: callerField(req, e.field), message: e.message }));
    throw new UnsupportedParameter(errors);
  }
}

class RequestEncoder {
  readonly dropped: string[];
  private readonly droppedOnce = new Set<string>();

  constructor(private readonly req: CanonicalChatRequest) {
    this.dropped = [...req.source.dropped];
  }

  messages(): OpenAiMessage[] {
    const out: OpenAiMessage[] = [];
    if (this.req.system.length > 0) out.push({ role: 'system', content: this.textContent(this.req.system) });
    for (const message of this.req.messages) {
      if (message.role === 'user') out.push(...this.userMessages(message.content));
      else out.push(this.assistantMessage(message.content));
    }
    return out;
  }

  tool(tool: CanonicalTool): OpenAiTool {
    if (tool.cacheControl) this.drop(this.cacheControlField());
    return {
      type: 'function',
      function: {
        name: tool.name,
        parameters: tool.inputSchema,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    };
  }

  toolChoice(): OpenAiToolChoice | undefined {
    const choice = this.req.toolChoice;
    if (choice === undefined) return undefined;
    const hasTools = this.req.tools !== undefined && this.req.tools.length > 0;
    if (!hasTools && (choice.type === 'auto' || choice.type === 'none')) {
      this.drop(this.req.source.fieldNames.toolChoice);
      return undefined;
    }
    return encodeToolChoice(choice);
  }

  reasoningEffort(): OpenAiReasoningEffort | undefined {
    const reasoning = this.req.reasoning;
    if (reasoning === undefined) return undefined;
    if (reasoning.mode === 'disabled') {
      this.drop(this.req.source.fieldNames.reasoning);
      return undefined;
    }
    if (reasoning.effort !== undefined) return reasoning.effort;
    if (reasoning.budgetTokens !== undefined) return effortForBudget(reasoning.budgetTokens);
    return undefined;
  }

  private drop(field: string): void {
    if (this.droppedOnce.has(field)) return;
    this.droppedOnce.add(field);
    this.dropped.push(field);
  }

  private cacheControlField(): string {
    return this.req.source.format === 'anthropic' ? 'cache_control' : 'prompt_cache_breakpoint';
  }

  private textContent(parts: CanonicalTextPart[]): string | OpenAiTextPart[] {
    if (parts.some((p) => p.cacheControl)) this.drop(this.cacheControlField());
    if (parts.length === 1) return parts[0].text;
    return parts.map((p) => ({ type: 'text', text: p.text }));
  }

  /** Tool results become `tool` messages, placed before the rest of the user turn. */
  private userMessages(parts: CanonicalUserPart[]): OpenAiMessage[] {
    const toolMessages: OpenAiMessage[] = [];
    const content: OpenAiUserContentPart[] = [];
    for (const part of parts) {
      if (part.cacheControl) this.drop(this.cacheControlField());
      switch (part.type) {
        case 'text':
          content.push({ type: 'text', text: part.text });
          break;
        case 'image':
          content.push({ type: 'image_url', image_url: { url: mediaUrl(part.source) } });
          break;
        case 'file':
          content.push(this.filePart(part.source, part.filename, part.path));
          break;
        case 'tool_result':
          toolMessages.push(this.toolMessage(part));
          break;
      }
    }
    if (content.length === 0) return toolMessages;
    const only = content.length === 1 ? content[0] : undefined;
    return [...toolMessages, { role: 'user', content: only?.type === 'text' ? only.text : content }];
  }

  private filePart(source: CanonicalMediaSource, filename: string | undefined, path: string | undefined): OpenAiUserContentPart {
    if (source.kind !== 'base64') {
      throw UnsupportedParameter.of(path ?? 'messages', 'Chat Completions file parts take inline data, not URLs');
    }
    return {
      type: 'file',
      file: { file_data: toDataUri(source.mediaType, source.data), ...(filename !== undefined ? { filename } : {}) },
    };
  }

  private toolMessage(part: CanonicalUserPart & { type: 'tool_result' }): OpenAiMessage {
    if (part.isError) this.drop(this.req.source.format === 'anthropic' ? 'is_error' : 'isError');
    const texts: CanonicalTextPart[] = [];
    for (const item of part.content) {
      if (item.type !== 'text') {
        throw UnsupportedParameter.of(part.path ?? 'messages', 'Chat Completions tool messages carry text only, not images');
      }
      texts.push(item);
    }
    return { role: 'tool', tool_call_id: part.toolUseId, content: texts.length === 0 ? '' : this.textContent(texts) };
  }

  private assistantMessage(parts: CanonicalAssistantPart[]): OpenAiMessage {
    const texts: CanonicalTextPart[] = [];
    const calls: OpenAiToolCall[] = [];
    for (const part of parts) {
      if (part.type === 'text') texts.push(part);
      if (part.type === 'thinking') this.drop(this.req.source.format === 'anthropic' ? 'thinking' : 'reasoning_content');
      if (part.type === 'tool_use') {
        if (part.cacheControl) this.drop(this.cacheControlField());
        calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) } });
      }
    }
    const message: OpenAiAssistantMessage = { role: 'assistant', content: texts.length === 0 ? null : this.textContent(texts) };
    if (calls.length > 0) message.tool_calls = calls;
    return message;
  }
}

function mediaUrl(source: CanonicalMediaSource): string {
  return source.kind === 'url' ? source.url : toDataUri(source.mediaType, source.data);
}

function encodeToolChoice(choice: CanonicalToolChoice): OpenAiToolChoice {
  if (choice.type === 'tool') return { type: 'function', function: { name: choice.name } };
  return choice.type;
}

function encodeResponseFormat(format: CanonicalResponseFormat): OpenAiResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      strict: format.strict,
      ...(format.description !== undefined ? { description: format.description } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------------------------

export function openAiFinishReasonToCanonical(reason: string | null | undefined): CanonicalStopReason {
  switch (reason) {
    case 'length':
    case 'model_length': // Mistral
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'content_filter';
    case 'error':
    case 'insufficient_system_resource': // DeepSeek
      return 'error';
    default:
      return 'end_turn';
  }
}

/** Chat Completions has no finish reason for errors; a failed generation ends as `stop`. */
export function canonicalStopReasonToOpenAi(reason: CanonicalStopReason): OpenAiFinishReason {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * Canonical usage from an OpenAI(-compatible) usage object. Cached tokens come from
 * `prompt_tokens_details.cached_tokens`, or DeepSeek's `prompt_cache_hit_tokens`, or
 * Moonshot's top-level `cached_tokens`.
 */
export function openAiUsageToCanonical(usage: unknown): CanonicalUsage {
  if (!isObject(usage)) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const cached = optionalNumber(prompt.cached_tokens) ?? optionalNumber(usage.prompt_cache_hit_tokens) ?? optionalNumber(usage.cached_tokens);
  const reasoning = optionalNumber(completion.reasoning_tokens);
  return {
    inputTokens: optionalNumber(usage.prompt_tokens) ?? 0,
    outputTokens: optionalNumber(usage.completion_tokens) ?? 0,
    cachedInputTokens: cached ?? 0,
    cacheWriteTokens: optionalNumber(prompt.cache_write_tokens) ?? 0,
    ...(reasoning !== undefined ? { reasoningTokens: reasoning } : {}),
  };
}

export function canonicalUsageToOpenAi(usage: CanonicalUsage): OpenAiUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      ...(usage.cacheWriteTokens > 0 ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

/** Reads an OpenAI(-compatible) chat completion (parsed JSON) into the canonical response. */
export function openAiResponseToCanonical(json: unknown): CanonicalChatResponse {
  if (!isObject(json)) throw new InvalidProviderResponse('the chat completion is not an object');
  const choice = Array.isArray(json.choices) ? json.choices[0] : undefined;
  if (!isObject(choice) || !isObject(choice.message)) throw new InvalidProviderResponse('the chat completion has no choice');
  const message = choice.message;
  const content: CanonicalAssistantPart[] = [];
  const reasoning = firstString(message.reasoning_content, message.reasoning);
  if (reasoning) content.push({ type: 'thinking', text: reasoning });
  const text = firstString(message.content, message.refusal);
  if (text) content.push({ type: 'text', text });
  if (Array.isArray(message.tool_calls)) message.tool_calls.forEach((call, i) => content.push(readToolCall(call, i)));
  return {
    id: isString(json.id) ? json.id : '',
    model: isString(json.model) ? json.model : '',
    content,
    stopReason: openAiFinishReasonToCanonical(isString(choice.finish_reason) ? choice.finish_reason : null),
    usage: openAiUsageToCanonical(json.usage),
  };
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => isString(v) && v.length > 0);
}

function readToolCall(call: unknown, i: number): CanonicalAssistantPart {
  const fn: JsonObject | undefined = isObject(call) && isObject(call.function) ? call.function : undefined;
  if (!isObject(call) || !fn || !isString(fn.name)) throw new InvalidProviderResponse(`tool_calls[${i}] is not a function call`);
  const args = isString(fn.arguments) ? fn.arguments : '';
  const input = args.trim() === '' ? {} : parseJson(args);
  if (!isObject(input)) throw new InvalidProviderResponse(`tool_calls[${i}].function.arguments is not a JSON object`);
  return { type: 'tool_use', id: isString(call.id) ? call.id : `call_${i}`, name: fn.name, input };
}

export interface OpenAiResponseOptions {
  /** The model the caller asked for, echoed back. */
  requestedModel: string;
  /** Unix seconds; defaults to now. */
  created?: number;
}

/** Writes a canonical response as an OpenAI chat completion. Thinking goes to `reasoning_content`. */
export function canonicalToOpenAiResponse(res: CanonicalChatResponse, options: OpenAiResponseOptions): OpenAiChatCompletion {
  const text = res.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
  const thinking = res.content.filter((p) => p.type === 'thinking').map((p) => p.text).join('');
  const calls: OpenAiToolCall[] = res.content
    .filter((p) => p.type === 'tool_use')
    .map((p) => ({ id: p.id, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.input ?? {}) } }));
  return {
    id: res.id,
    object: 'chat.completion',
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.requestedModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text.length > 0 || calls.length === 0 ? text : null,
          refusal: null,
          ...(thinking.length > 0 ? { reasoning_content: thinking } : {}),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: canonicalStopReasonToOpenAi(res.stopReason),
        logprobs: null,
      },
    ],
    usage: canonicalUsageToOpenAi(res.usage),
  };
}

