import type { FieldError } from '../../platform/errors/domain-error';
import type {
  CanonicalAssistantPart,
  CanonicalCacheControl,
  CanonicalChatRequest,
  CanonicalChatResponse,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalParam,
  CanonicalReasoning,
  CanonicalStopReason,
  CanonicalTextPart,
  CanonicalTool,
  CanonicalToolChoice,
  CanonicalUsage,
  CanonicalUserPart,
  ReasoningEffort,
} from '../canonical/chat';
import { isObject, isString, optionalNumber } from '../canonical/json-guards';
import { InvalidProviderResponse, UnsupportedParameter } from '../canonical/translation.errors';
import { applyParamRules, type ParamRules } from '../canonical/param-rules';
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicContentBlockParam,
  AnthropicCustomTool,
  AnthropicDocumentBlockParam,
  AnthropicImageBlockParam,
  AnthropicImageMediaType,
  AnthropicMessage,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicStopReason,
  AnthropicTextBlockParam,
  AnthropicThinkingConfig,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlockParam,
  AnthropicUsage,
} from './anthropic.wire';

const TRANSLATION = 'not supported when the request is translated to another provider';

/**
 * Anthropic request fields dropped when the request is translated to another provider's
 * format, with the reason for each. Paths with `[]` apply to every element.
 */
export const ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED = {
  service_tier: "selects Anthropic's priority capacity; the target's tiers are its own",
  speed: "selects Anthropic's fast inference mode",
  diagnostics: "asks Anthropic to explain prompt-cache misses",
  cache_control: 'an automatic prompt-cache breakpoint; the target caches by its own rules',
  'thinking.display': 'chooses how Anthropic summarizes thinking',
  'tools[].eager_input_streaming': "a streaming hint for Anthropic's tool input",
  'messages[].content[].citations': 'citations point into Anthropic documents and search results',
  'messages[].content[].title': 'document titles have no equivalent',
  'messages[].content[].context': 'document context has no equivalent',
  'messages[].content[] (redacted_thinking)': 'encrypted thinking only Anthropic can read',
} as const satisfies Readonly<Record<string, string>>;

/** Anthropic request fields that ask for Anthropic-run features; rejected when translating. */
export const ANTHROPIC_FIELDS_REJECTED_WHEN_TRANSLATED: ParamRules = {
  container: { action: 'reject', reason: "code-execution containers run on Anthropic's servers" },
  mcp_servers: { action: 'reject', reason: "the MCP connector runs on Anthropic's servers" },
  context_management: { action: 'reject', reason: "context editing is done by Anthropic's servers" },
  inference_geo: { action: 'reject', reason: 'the inference region cannot be guaranteed by another provider' },
};

const DROPPED_TOP_LEVEL: ParamRules = {
  service_tier: { action: 'drop', reason: ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED.service_tier },
  speed: { action: 'drop', reason: ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED.speed },
  diagnostics: { action: 'drop', reason: ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED.diagnostics },
  cache_control: { action: 'drop', reason: ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED.cache_control },
  'thinking.display': { action: 'drop', reason: ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED['thinking.display'] },
};

const ANTHROPIC_FIELD_NAMES: Readonly<Record<CanonicalParam, string>> = {
  messages: 'messages',
  system: 'system',
  tools: 'tools',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'tool_choice.disable_parallel_tool_use',
  maxTokens: 'max_tokens',
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  stop: 'stop_sequences',
  seed: 'seed',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  responseFormat: 'output_config.format',
  reasoning: 'thinking',
  user: 'metadata.user_id',
  stream: 'stream',
  includeUsage: 'stream',
};

// ---------------------------------------------------------------------------------------------
// Anthropic request -> canonical
// ---------------------------------------------------------------------------------------------

/**
 * Decodes an Anthropic Messages request for a provider of another format. Anthropic-run
 * features are rejected by name; {@link ANTHROPIC_FIELDS_DROPPED_WHEN_TRANSLATED} are dropped
 * and listed in `source.dropped`.
 */
export function anthropicRequestToCanonical(body: AnthropicMessagesRequest): CanonicalChatRequest {
  const checked = applyParamRules({ ...body }, { ...ANTHROPIC_FIELDS_REJECTED_WHEN_TRANSLATED, ...DROPPED_TOP_LEVEL }, TRANSLATION);
  if (checked.rejected.length > 0) throw new UnsupportedParameter(checked.rejected);
  const decoder = new RequestDecoder(checked.dropped);
  const request: CanonicalChatRequest = {
    model: body.model,
    system: decoder.system(body.system),
    messages: body.messages.map((message, i) => decoder.message(message, i)),
    maxTokens: body.max_tokens,
    stream: body.stream === true,
    includeUsage: true,
    source: {
      format: 'anthropic',
      fieldNames: {
        ...ANTHROPIC_FIELD_NAMES,
        reasoning: body.thinking === undefined && body.output_config?.effort != null ? 'output_config.effort' : 'thinking',
      },
      dropped: decoder.dropped,
    },
  };
  if (body.tools !== undefined) request.tools = body.tools.map((tool, i) => decoder.tool(tool, i));
  if (body.tool_choice !== undefined) Object.assign(request, decodeToolChoice(body.tool_choice));
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) request.topK = body.top_k;
  if (body.stop_sequences !== undefined) request.stop = body.stop_sequences;
  const reasoning = decodeReasoning(body.thinking, body.output_config?.effort ?? undefined);
  if (reasoning !== undefined) request.reasoning = reasoning;
  const format = body.output_config?.format;
  if (format) request.responseFormat = { type: 'json_schema', name: 'response', schema: format.schema, strict: true };
  const user = body.metadata?.user_id;
  if (isString(user)) request.user = user;
  return request;
}

class RequestDecoder {
  readonly dropped: string[];
  private readonly droppedOnce = new Set<string>();

  constructor(dropped: string[]) {
    this.dropped = [...dropped];
  }

  system(system: AnthropicMessagesRequest['system']): CanonicalTextPart[] {
    if (system === undefined) return [];
    if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
    return system.map((block, j) => this.text(block, `system[${j}]`));
  }

  message(message: AnthropicMessageParam, i: number): CanonicalMessage {
    const blocks: AnthropicContentBlockParam[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    const path = (j: number): string => `messages[${i}].content[${j}]`;
    if (message.role === 'user') {
      const content = blocks.flatMap((block, j) => this.userBlock(block, path(j)));
      return { role: 'user', content };
    }
    if (message.role === 'assistant') {
      const content = blocks.flatMap((block, j) => this.assistantBlock(block, path(j)));
      return { role: 'assistant', content };
    }
    throw UnsupportedParameter.of(`messages[${i}].role`, `${TRANSLATION}: unknown role`);
  }

  tool(tool: AnthropicTool, i: number): CanonicalTool {
    if (!isCustomTool(tool)) {
      throw UnsupportedParameter.of(`tools[${i}]`, `${TRANSLATION}: Anthropic-defined tool \`${tool.type ?? ''}\``);
    }
    for (const field of ['input_examples', 'defer_loading', 'allowed_callers'] as const) {
      if (tool[field] !== undefined) throw UnsupportedParameter.of(`tools[${i}].${field}`, `${TRANSLATION}: an Anthropic tool-use feature`);
    }
    if (tool.eager_input_streaming != null) this.drop('tools[].eager_input_streaming');
    return {
      name: tool.name,
      inputSchema: { ...tool.input_schema },
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      ...cacheControlOf(tool),
    };
  }

  private drop(path: string): void {
    if (this.droppedOnce.has(path)) return;
    this.droppedOnce.add(path);
    this.dropped.push(path);
  }

  private text(block: AnthropicTextBlockParam, path: string): CanonicalTextPart {
    if (block.type !== 'text') throw UnsupportedParameter.of(`${path}.type`, `${TRANSLATION}: only text blocks are allowed here`);
    if (block.citations != null) this.drop('messages[].content[].citations');
    return { type: 'text', text: block.text, ...cacheControlOf(block) };
  }

  private userBlock(block: AnthropicContentBlockParam, path: string): CanonicalUserPart[] {
    switch (block.type) {
      case 'text':
        return [this.text(block, path)];
      case 'image':
        return [this.image(block, path)];
      case 'document':
        return [this.document(block, path)];
      case 'tool_result':
        return [this.toolResult(block, path)];
      default:
        throw UnsupportedParameter.of(path, `${TRANSLATION}: \`${block.type}\` blocks in user turns`);
    }
  }

  private assistantBlock(block: AnthropicContentBlockParam, path: string): CanonicalAssistantPart[] {
    switch (block.type) {
      case 'text':
        return [this.text(block, path)];
      case 'tool_use':
        return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input, ...cacheControlOf(block) }];
      case 'thinking':
        return [{ type: 'thinking', text: block.thinking, signature: block.signature }];
      case 'redacted_thinking':
        this.drop('messages[].content[] (redacted_thinking)');
        return [];
      default:
        throw UnsupportedParameter.of(path, `${TRANSLATION}: \`${block.type}\` blocks in assistant turns`);
    }
  }

  private image(block: AnthropicImageBlockParam, path: string): CanonicalImagePart {
    const source = block.source;
    if (source.type === 'file') throw UnsupportedParameter.of(`${path}.source`, `${TRANSLATION}: Anthropic Files API ids`);
    return {
      type: 'image',
      source: source.type === 'url' ? { kind: 'url', url: source.url } : { kind: 'base64', mediaType: source.media_type, data: source.data },
      path,
      ...cacheControlOf(block),
    };
  }

  private document(block: AnthropicDocumentBlockParam, path: string): CanonicalUserPart {
    if (block.title != null) this.drop('messages[].content[].title');
    if (block.context != null) this.drop('messages[].content[].context');
    if (block.citations != null) this.drop('messages[].content[].citations');
    const source = block.source;
    switch (source.type) {
      case 'text':
        return { type: 'text', text: source.data, ...cacheControlOf(block) };
      case 'base64':
        return { type: 'file', source: { kind: 'base64', mediaType: source.media_type, data: source.data }, path, ...cacheControlOf(block) };
      case 'url':
        return { type: 'file', source: { kind: 'url', url: source.url }, path, ...cacheControlOf(block) };
      default:
        throw UnsupportedParameter.of(`${path}.source`, `${TRANSLATION}: \`${source.type}\` document sources`);
    }
  }

  private toolResult(block: AnthropicToolResultBlockParam, path: string): CanonicalUserPart {
    const items = block.content === undefined ? [] : typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : block.content;
    const content = items.map((item, k): CanonicalTextPart | CanonicalImagePart => {
      if (item.type === 'text') return this.text(item, `${path}.content[${k}]`);
      if (item.type === 'image') return this.image(item, `${path}.content[${k}]`);
      throw UnsupportedParameter.of(`${path}.content[${k}]`, `${TRANSLATION}: \`${item.type}\` blocks in tool results`);
    });
    return { type: 'tool_result', toolUseId: block.tool_use_id, content, isError: block.is_error === true, path, ...cacheControlOf(block) };
  }
}

function isCustomTool(tool: AnthropicTool): tool is AnthropicCustomTool {
  return (tool.type === undefined || tool.type === null || tool.type === 'custom') && isObject(tool.input_schema);
}

function cacheControlOf(block: { cache_control?: AnthropicCacheControl | null }): { cacheControl?: CanonicalCacheControl } {
  const control = block.cache_control;
  if (!control) return {};
  return { cacheControl: control.ttl !== undefined ? { ttl: control.ttl } : {} };
}

function decodeToolChoice(choice: AnthropicToolChoice): Pick<CanonicalChatRequest, 'toolChoice' | 'parallelToolCalls'> {
  const toolChoice: CanonicalToolChoice =
    choice.type === 'any' ? { type: 'required' } : choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: choice.type };
  const disable = choice.type === 'none' ? undefined : choice.disable_parallel_tool_use;
  return { toolChoice, ...(disable !== undefined ? { parallelToolCalls: !disable } : {}) };
}

function decodeReasoning(thinking: AnthropicThinkingConfig | undefined, effort: ReasoningEffort | undefined): CanonicalReasoning | undefined {
  if (thinking?.type === 'disabled') return { mode: 'disabled' };
  if (thinking?.type === 'enabled') return { mode: 'enabled', budgetTokens: thinking.budget_tokens, ...(effort ? { effort } : {}) };
  if (thinking?.type === 'adaptive' || effort !== undefined) return { mode: 'enabled', ...(effort ? { effort } : {}) };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// canonical -> Anthropic request
// ---------------------------------------------------------------------------------------------

/** Used for `max_tokens`, which Anthropic requires, when neither caller nor catalog gives one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Thinking budget (tokens) for each OpenAI `reasoning_effort`. */
export const ANTHROPIC_THINKING_BUDGET_BY_EFFORT: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 65536,
};

/** Anthropic's smallest thinking budget. */
const MIN_THINKING_BUDGET = 1024;

/**
 * Canonical fields dropped when writing an Anthropic request, with the reason. Reported in the
 * caller's terms (`source.fieldNames`).
 */
export const CANONICAL_FIELDS_DROPPED_FOR_ANTHROPIC = {
  seed: 'Anthropic has no sampling seed; seeds are best-effort on every provider',
  frequencyPenalty: 'Anthropic has no frequency penalty; 0 is the neutral value and is dropped',
  presencePenalty: 'Anthropic has no presence penalty; 0 is the neutral value and is dropped',
  responseFormat: 'a plain-text response format is the default',
  jsonSchemaDescription: 'Anthropic structured outputs take a schema only',
  unsignedThinking: "thinking from another provider has no Anthropic signature and cannot be replayed",
  toolChoice: 'an `auto` or `none` tool choice without tools has no effect',
} as const satisfies Readonly<Record<string, string>>;

export interface AnthropicRequestOptions {
  /** The model's maximum output tokens (from the catalog), used when the caller set no cap. */
  modelMaxOutputTokens?: number;
}

export interface TranslatedAnthropicRequest {
  body: AnthropicMessagesRequest;
  dropped: string[];
}

/**
 * Writes a canonical request as an Anthropic Messages body.
 *
 * - `max_tokens`: the caller's cap, else `modelMaxOutputTokens`, else 4096 (plus the thinking
 *   budget when reasoning was asked for).
 * - System parts, wherever they appeared, become `system`; consecutive same-role turns are merged
 *   (tool results first, as Anthropic requires); empty text parts are left out.
 * - `reasoning_effort` becomes a thinking budget ({@link ANTHROPIC_THINKING_BUDGET_BY_EFFORT})
 *   capped at `max_tokens − 1024`; `none` disables thinking.
 * - A JSON-schema response format becomes `output_config.format`; `json_object` is rejected.
 * - `temperature` above 1, and non-zero frequency/presence penalties, are rejected.
 */
export function canonicalToAnthropicRequest(req: CanonicalChatRequest, options: AnthropicRequestOptions = {}): TranslatedAnthropicRequest {
  const encoder = new RequestEncoder(req);
  encoder.checkSampling();
  const budget = encoder.effortBudget();
  const maxTokens = req.maxTokens ?? options.modelMaxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS + (budget ?? 0);
  const body: AnthropicMessagesRequest = { model: req.model, max_tokens: maxTokens, messages: encoder.messages() };
  const system = encoder.system();
  if (system !== undefined) body.system = system;
  if (req.tools !== undefined) body.tools = req.tools.map((tool, i) => encoder.tool(tool, i));
  const toolChoice = encoder.toolChoice();
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop;
  const thinking = encoder.thinking(maxTokens, budget);
  if (thinking !== undefined) body.thinking = thinking;
  const format = encoder.outputFormat();
  if (format !== undefined) body.output_config = { format };
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;
  return { body, dropped: encoder.dropped };
}

class RequestEncoder {
  readonly dropped: string[];
  private readonly droppedOnce = new Set<string>();
  private readonly names: Readonly<Record<CanonicalParam, string>>;

  constructor(private readonly req: CanonicalChatRequest) {
    this.dropped = [...req.source.dropped];
    this.names = req.source.fieldNames;
  }

  checkSampling(): void {
    const errors: FieldError[] = [];
    const { req, names } = this;
    if (req.temperature !== undefined && req.temperature > 1) {
      errors.push({ field: names.temperature, message: 'Anthropic accepts a temperature from 0 to 1' });
    }
    for (const param of ['frequencyPenalty', 'presencePenalty'] as const) {
      const value = req[param];
      if (value === undefined) continue;
      if (value === 0) this.drop(names[param]);
      else errors.push({ field: names[param], message: `${TRANSLATION}: Anthropic has no ${names[param].replace('_', ' ')}` });
    }
    if (req.seed !== undefined) this.drop(names.seed);
    if (req.responseFormat?.type === 'text') this.drop(names.responseFormat);
    if (req.responseFormat?.type === 'json_object') {
      errors.push({ field: names.responseFormat, message: `${TRANSLATION}: JSON mode without a schema; use a json_schema response format` });
    }
    if (errors.length > 0) throw new UnsupportedParameter(errors);
  }

  /** The thinking budget implied by a reasoning effort, before capping. */
  effortBudget(): number | undefined {
    const reasoning = this.req.reasoning;
    if (reasoning?.mode !== 'enabled' || reasoning.budgetTokens !== undefined) return undefined;
    if (reasoning.effort === undefined || reasoning.effort === 'none') return undefined;
    return ANTHROPIC_THINKING_BUDGET_BY_EFFORT[reasoning.effort];
  }

  thinking(maxTokens: number, effortBudget: number | undefined): AnthropicThinkingConfig | undefined {
    const reasoning = this.req.reasoning;
    if (reasoning === undefined) return undefined;
    if (reasoning.mode === 'disabled' || reasoning.effort === 'none') return { type: 'disabled' };
    if (reasoning.budgetTokens !== undefined) return { type: 'enabled', budget_tokens: reasoning.budgetTokens };
    if (effortBudget === undefined) return { type: 'adaptive' };
    const budget = Math.min(effortBudget, maxTokens - MIN_THINKING_BUDGET);
    if (budget < MIN_THINKING_BUDGET) {
      throw UnsupportedParameter.of(
        this.names.reasoning,
        `Anthropic thinking needs at least ${MIN_THINKING_BUDGET} tokens besides the answer: raise ${this.names.maxTokens} to ${2 * MIN_THINKING_BUDGET} or more`,
      );
    }
    return { type: 'enabled', budget_tokens: budget };
  }

  outputFormat(): { type: 'json_schema'; schema: Record<string, unknown> } | undefined {
    const format = this.req.responseFormat;
    if (format?.type !== 'json_schema') return undefined;
    if (format.description !== undefined) this.drop(`${this.names.responseFormat}.json_schema.description`);
    return { type: 'json_schema', schema: format.schema };
  }

  toolChoice(): AnthropicToolChoice | undefined {
    const choice = this.req.toolChoice;
    const hasTools = this.req.tools !== undefined && this.req.tools.length > 0;
    if (!hasTools && (choice?.type === 'auto' || choice?.type === 'none')) {
      this.drop(this.names.toolChoice);
      return undefined;
    }
    const parallel = this.req.parallelToolCalls === false && hasTools ? { disable_parallel_tool_use: true } : {};
    return encodeToolChoice(choice, parallel);
  }

  system(): string | AnthropicTextBlockParam[] | undefined {
    const parts = this.req.system.filter((p) => p.text.length > 0);
    if (parts.length === 0) return undefined;
    if (parts.length === 1 && !parts[0].cacheControl) return parts[0].text;
    return parts.map((p) => textBlock(p));
  }

  tool(tool: CanonicalTool, i: number): AnthropicCustomTool {
    const schema = tool.inputSchema;
    if (schema.type !== undefined && schema.type !== 'object') {
      throw UnsupportedParameter.of(`${this.names.tools}[${i}]`, 'Anthropic tool input must be described by an object schema');
    }
    return {
      name: tool.name,
      input_schema: { ...schema, type: 'object' },
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      ...cacheControlParam(tool.cacheControl),
    };
  }

  messages(): AnthropicMessageParam[] {
    const out: AnthropicMessageParam[] = [];
    for (const message of this.req.messages) {
      const blocks = message.role === 'user' ? this.userBlocks(message.content) : this.assistantBlocks(message.content);
      if (blocks.length === 0) continue;
      const last = out[out.length - 1];
      if (last && last.role === message.role && Array.isArray(last.content)) last.content = orderToolResultsFirst([...last.content, ...blocks]);
      else out.push({ role: message.role, content: orderToolResultsFirst(blocks) });
    }
    return out;
  }

  private drop(field: string): void {
    if (this.droppedOnce.has(field)) return;
    this.droppedOnce.add(field);
    this.dropped.push(field);
  }

  private userBlocks(parts: CanonicalUserPart[]): AnthropicContentBlockParam[] {
    const blocks: AnthropicContentBlockParam[] = [];
    for (const part of parts) {
      switch (part.type) {
        case 'text':
          if (part.text.length > 0) blocks.push(textBlock(part));
          break;
        case 'image':
          blocks.push(imageBlock(part));
          break;
        case 'file':
          blocks.push(documentBlock(part));
          break;
        case 'tool_result':
          blocks.push(this.toolResultBlock(part));
          break;
      }
    }
    return blocks;
  }

  private toolResultBlock(part: CanonicalUserPart & { type: 'tool_result' }): AnthropicToolResultBlockParam {
    const block: AnthropicToolResultBlockParam = { type: 'tool_result', tool_use_id: anthropicToolId(part.toolUseId) };
    const allText = part.content.every((c) => c.type === 'text');
    if (allText) {
      const text = part.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
      if (text.length > 0) block.content = text;
    } else {
      block.content = part.content.flatMap((c): Array<AnthropicTextBlockParam | AnthropicImageBlockParam> =>
        c.type === 'image' ? [imageBlock(c)] : c.text.length > 0 ? [textBlock(c)] : [],
      );
    }
    if (part.isError) block.is_error = true;
    return { ...block, ...cacheControlParam(part.cacheControl) };
  }

  private assistantBlocks(parts: CanonicalAssistantPart[]): AnthropicContentBlockParam[] {
    const blocks: AnthropicContentBlockParam[] = [];
    for (const part of parts) {
      if (part.type === 'text' && part.text.length > 0) blocks.push(textBlock(part));
      if (part.type === 'tool_use') {
        const input = isObject(part.input) ? part.input : {};
        blocks.push({ type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input, ...cacheControlParam(part.cacheControl) });
      }
      if (part.type === 'thinking') {
        if (part.signature) blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
        else this.drop(this.req.source.format === 'openai' ? 'messages[].reasoning_content' : 'thinking');
      }
    }
    return blocks;
  }
}

/** Anthropic tool-use ids must match `^[a-zA-Z0-9_-]+$`; other providers' ids (e.g. Kimi's `fn:0`) are mapped consistently. */
export function anthropicToolId(id: string): string {
  const safe = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return safe.length > 0 ? safe : 'toolu_';
}

/** Anthropic requires a user turn's tool results before any other block. */
function orderToolResultsFirst(blocks: AnthropicContentBlockParam[]): AnthropicContentBlockParam[] {
  const results = blocks.filter((b) => b.type === 'tool_result');
  if (results.length === 0) return blocks;
  return [...results, ...blocks.filter((b) => b.type !== 'tool_result')];
}

function cacheControlParam(control: CanonicalCacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  if (!control) return {};
  return { cache_control: { type: 'ephemeral', ...(control.ttl !== undefined ? { ttl: control.ttl } : {}) } };
}

function textBlock(part: CanonicalTextPart): AnthropicTextBlockParam {
  return { type: 'text', text: part.text, ...cacheControlParam(part.cacheControl) };
}

const IMAGE_MEDIA_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

function isImageMediaType(mediaType: string): mediaType is AnthropicImageMediaType {
  return IMAGE_MEDIA_TYPES.includes(mediaType);
}

function imageBlock(part: CanonicalImagePart): AnthropicImageBlockParam {
  const source = part.source;
  if (source.kind === 'url') return { type: 'image', source: { type: 'url', url: source.url }, ...cacheControlParam(part.cacheControl) };
  const mediaType = source.mediaType === 'image/jpg' ? 'image/jpeg' : source.mediaType;
  if (!isImageMediaType(mediaType)) {
    throw UnsupportedParameter.of(part.path ?? 'messages', `Anthropic accepts JPEG, PNG, GIF and WebP images, not ${source.mediaType}`);
  }
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: source.data }, ...cacheControlParam(part.cacheControl) };
}

function documentBlock(part: CanonicalUserPart & { type: 'file' }): AnthropicDocumentBlockParam {
  const source = part.source;
  const cache = cacheControlParam(part.cacheControl);
  if (source.kind === 'url') return { type: 'document', source: { type: 'url', url: source.url }, ...cache };
  if (source.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: source.data }, ...cache };
  if (source.mediaType === 'text/plain') {
    const text = Buffer.from(source.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...cache };
  }
  throw UnsupportedParameter.of(part.path ?? 'messages', `Anthropic accepts PDF and plain-text documents, not ${source.mediaType}`);
}

function encodeToolChoice(
  choice: CanonicalToolChoice | undefined,
  disable: { disable_parallel_tool_use?: boolean },
): AnthropicToolChoice | undefined {
  if (choice === undefined) return disable.disable_parallel_tool_use ? { type: 'auto', ...disable } : undefined;
  switch (choice.type) {
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any', ...disable };
    case 'tool':
      return { type: 'tool', name: choice.name, ...disable };
    case 'auto':
      return { type: 'auto', ...disable };
  }
}

// ---------------------------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------------------------

export function anthropicStopReasonToCanonical(reason: string | null | undefined): CanonicalStopReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'tool_use':
      return 'tool_use';
    case 'refusal':
      return 'content_filter';
    default:
      return 'end_turn';
  }
}

/** Anthropic has no stop reason for errors; a failed generation ends as `end_turn`. */
export function canonicalStopReasonToAnthropic(reason: CanonicalStopReason): AnthropicStopReason {
  switch (reason) {
    case 'max_tokens':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'tool_use':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Canonical usage from Anthropic's, whose `input_tokens` exclude cache reads and writes. */
export function anthropicUsageToCanonical(usage: unknown): CanonicalUsage {
  if (!isObject(usage)) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
  const cacheRead = optionalNumber(usage.cache_read_input_tokens) ?? 0;
  const cacheWrite = optionalNumber(usage.cache_creation_input_tokens) ?? 0;
  return {
    inputTokens: (optionalNumber(usage.input_tokens) ?? 0) + cacheRead + cacheWrite,
    outputTokens: optionalNumber(usage.output_tokens) ?? 0,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function canonicalUsageToAnthropic(usage: CanonicalUsage): AnthropicUsage {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
  };
}

/** Reads an Anthropic message (parsed JSON) into the canonical response. */
export function anthropicResponseToCanonical(json: unknown): CanonicalChatResponse {
  if (!isObject(json) || !Array.isArray(json.content)) throw new InvalidProviderResponse('the message has no content array');
  const content = json.content.flatMap((block, i) => readContentBlock(block, i));
  const response: CanonicalChatResponse = {
    id: isString(json.id) ? json.id : '',
    model: isString(json.model) ? json.model : '',
    content,
    stopReason: anthropicStopReasonToCanonical(isString(json.stop_reason) ? json.stop_reason : null),
    usage: anthropicUsageToCanonical(json.usage),
  };
  if (isString(json.stop_sequence)) response.stopSequence = json.stop_sequence;
  return response;
}

function readContentBlock(block: unknown, i: number): CanonicalAssistantPart[] {
  if (!isObject(block) || !isString(block.type)) throw new InvalidProviderResponse(`content[${i}] is not a content block`);
  if (block.type === 'text' && isString(block.text)) return [{ type: 'text', text: block.text }];
  if (block.type === 'thinking' && isString(block.thinking)) {
    return [{ type: 'thinking', text: block.thinking, ...(isString(block.signature) ? { signature: block.signature } : {}) }];
  }
  if (block.type === 'tool_use' && isString(block.id) && isString(block.name)) {
    return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input ?? {} }];
  }
  if (['text', 'thinking', 'tool_use'].includes(block.type)) throw new InvalidProviderResponse(`content[${i}] is a malformed ${block.type} block`);
  // redacted_thinking and server-tool blocks mean nothing to a caller of another format.
  return [];
}

export interface AnthropicResponseOptions {
  /** The model the caller asked for, echoed back. */
  requestedModel: string;
}

/** Writes a canonical response as an Anthropic message. */
export function canonicalToAnthropicResponse(res: CanonicalChatResponse, options: AnthropicResponseOptions): AnthropicMessage {
  const content: AnthropicContentBlock[] = res.content.flatMap((part): AnthropicContentBlock[] => {
    if (part.type === 'text') return part.text.length > 0 ? [{ type: 'text', text: part.text }] : [];
    if (part.type === 'thinking') return [{ type: 'thinking', thinking: part.text, signature: part.signature ?? '' }];
    return [{ type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: isObject(part.input) ? part.input : {} }];
  });
  return {
    id: res.id,
    type: 'message',
    role: 'assistant',
    model: options.requestedModel,
    content,
    stop_reason: canonicalStopReasonToAnthropic(res.stopReason),
    stop_sequence: res.stopSequence ?? null,
    usage: canonicalUsageToAnthropic(res.usage),
  };
}
