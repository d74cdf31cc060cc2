import {
  ANY_OBJECT,
  arrayOf,
  BOOLEAN,
  INTEGER,
  type JsonSchema,
  nullable,
  NUMBER,
  object,
  oneOfValues,
  ref,
  STRING,
  switchOn,
  withMessage,
} from '../canonical/schema-validator';

/**
 * JSON Schema of an OpenAI Chat Completions request
 * (https://platform.openai.com/docs/api-reference/chat/create), as far as this gateway reads it.
 *
 * - Unknown fields, part types and tool types are allowed: same-format requests pass them through,
 *   and the translator decides what a cross-format request may carry.
 * - Optional fields accept `null` (the API documents most of them as nullable).
 * - Tags that pick a shape (`role`, `response_format.type`, `tool_choice`) are enums; open-ended
 *   values (`reasoning_effort`, `service_tier`, `verbosity`, …) are strings, because
 *   OpenAI-compatible providers accept values of their own.
 */

const CONTENT_MESSAGE = 'must be a string or an array of content parts';
const TEXT_CONTENT_MESSAGE = 'must be a string or an array of text parts';

const partCommon = { prompt_cache_breakpoint: nullable(object({ mode: STRING })) };

const partCases: Record<string, JsonSchema> = {
  text: object({ text: STRING }, ['text']),
  refusal: object({ refusal: STRING }, ['refusal']),
  image_url: object({ image_url: object({ url: STRING, detail: nullable(STRING) }, ['url']) }, ['image_url']),
  input_audio: object({ input_audio: object({ data: STRING, format: STRING }, ['data', 'format']) }, ['input_audio']),
  file: object({ file: object({ file_data: nullable(STRING), file_id: nullable(STRING), filename: nullable(STRING) }) }, ['file']),
};

/** A content part of any type; known types are checked, unknown ones are left to the translator. */
const anyPart: JsonSchema = { ...object({ type: STRING, ...partCommon }, ['type']), ...switchOn('type', partCases) };
/** Developer, system and tool messages carry text parts only. */
const textPart: JsonSchema = { ...object({ type: oneOfValues(['text']), ...partCommon }, ['type']), ...switchOn('type', { text: partCases['text'] }) };

const content = withMessage({ type: ['string', 'array'], items: ref('part') }, CONTENT_MESSAGE);
const textContent = withMessage({ type: ['string', 'array'], items: ref('textPart') }, TEXT_CONTENT_MESSAGE);

const toolCall: JsonSchema = {
  ...object({ id: STRING, type: STRING }, ['id', 'type']),
  ...switchOn('type', {
    function: object({ function: object({ name: STRING, arguments: STRING }, ['name', 'arguments']) }, ['function']),
    custom: object({ custom: object({ name: STRING, input: STRING }, ['name', 'input']) }, ['custom']),
  }),
};

const ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'];

const textMessage = object({ content: textContent }, ['content']);

const message: JsonSchema = {
  ...object({ role: oneOfValues(ROLES), name: nullable(STRING) }, ['role']),
  ...switchOn('role', {
    developer: textMessage,
    system: textMessage,
    user: object({ content }, ['content']),
    assistant: object({
      content: withMessage({ type: ['string', 'array', 'null'], items: ref('part') }, CONTENT_MESSAGE),
      refusal: nullable(STRING),
      audio: nullable(object({ id: STRING }, ['id'])),
      tool_calls: nullable(arrayOf(toolCall)),
      function_call: nullable(object({ name: STRING, arguments: STRING }, ['name', 'arguments'])),
      reasoning_content: nullable(STRING),
    }),
    tool: object({ content: textContent, tool_call_id: STRING }, ['content', 'tool_call_id']),
    function: object({ content: withMessage({ type: ['string', 'null'] }, 'must be a string or null'), name: STRING }, ['content', 'name']),
  }),
};

const functionDefinition = object({ name: STRING, description: nullable(STRING), parameters: nullable(ANY_OBJECT), strict: nullable(BOOLEAN) }, ['name']);

const tool: JsonSchema = {
  ...object({ type: STRING }, ['type']),
  ...switchOn('type', {
    function: object({ function: functionDefinition }, ['function']),
    custom: object({ custom: object({ name: STRING, description: nullable(STRING), format: nullable(object({ type: STRING }, ['type'])) }, ['name']) }, ['custom']),
  }),
};

const toolChoiceObject: JsonSchema = {
  ...object({ type: STRING }, ['type']),
  ...switchOn('type', {
    function: object({ function: object({ name: STRING }, ['name']) }, ['function']),
    custom: object({ custom: object({ name: STRING }, ['name']) }, ['custom']),
    allowed_tools: object({ allowed_tools: object({ mode: STRING, tools: arrayOf(ANY_OBJECT) }, ['mode', 'tools']) }, ['allowed_tools']),
  }),
};

const toolChoice = withMessage(
  { anyOf: [{ enum: ['none', 'auto', 'required', null] }, toolChoiceObject] },
  'must be one of: none, auto, required, or a tool choice object',
);

const responseFormat: JsonSchema = {
  ...object({ type: oneOfValues(['text', 'json_object', 'json_schema']) }, ['type']),
  ...switchOn('type', {
    json_schema: object(
      { json_schema: object({ name: STRING, description: nullable(STRING), schema: nullable(ANY_OBJECT), strict: nullable(BOOLEAN) }, ['name']) },
      ['json_schema'],
    ),
  }),
};

/** A built-in voice name or a custom voice. */
const voice = withMessage({ ...object({ id: STRING }, ['id']), type: ['string', 'object'] }, 'must be a voice name or an object with an id');
const place = nullable(STRING);

const request = object(
  {
    model: STRING,
    messages: arrayOf(ref('message')),
    audio: nullable(object({ format: STRING, voice }, ['format', 'voice'])),
    frequency_penalty: nullable(NUMBER),
    function_call: nullable(withMessage({ ...object({ name: STRING }, ['name']), type: ['string', 'object'] }, 'must be a string or an object with a name')),
    functions: nullable(arrayOf(object({ name: STRING, description: nullable(STRING), parameters: nullable(ANY_OBJECT) }, ['name']))),
    logit_bias: nullable({ type: 'object', additionalProperties: NUMBER }),
    logprobs: nullable(BOOLEAN),
    max_completion_tokens: nullable(INTEGER),
    max_tokens: nullable(INTEGER),
    metadata: nullable({ type: 'object', additionalProperties: STRING }),
    modalities: nullable(arrayOf(STRING)),
    moderation: nullable(ANY_OBJECT),
    n: nullable(INTEGER),
    parallel_tool_calls: nullable(BOOLEAN),
    prediction: nullable(object({ type: STRING, content: textContent }, ['type', 'content'])),
    presence_penalty: nullable(NUMBER),
    prompt_cache_key: nullable(STRING),
    prompt_cache_options: nullable(ANY_OBJECT),
    prompt_cache_retention: nullable(STRING),
    reasoning_effort: nullable(STRING),
    response_format: nullable(responseFormat),
    safety_identifier: nullable(STRING),
    seed: nullable(INTEGER),
    service_tier: nullable(STRING),
    stop: withMessage({ type: ['string', 'array', 'null'], items: STRING }, 'must be a string or an array of strings'),
    store: nullable(BOOLEAN),
    stream: nullable(BOOLEAN),
    stream_options: nullable(object({ include_usage: nullable(BOOLEAN), include_obfuscation: nullable(BOOLEAN) })),
    temperature: nullable(NUMBER),
    tool_choice: toolChoice,
    tools: nullable(arrayOf(tool)),
    top_logprobs: nullable(INTEGER),
    top_p: nullable(NUMBER),
    user: nullable(STRING),
    verbosity: nullable(STRING),
    web_search_options: nullable(
      object({
        search_context_size: nullable(STRING),
        user_location: nullable(object({ type: STRING, approximate: object({ city: place, country: place, region: place, timezone: place }) }, ['type'])),
      }),
    ),
    /** Extension (Together AI, Fireworks AI, DeepInfra, Perplexity, vLLM). */
    top_k: nullable(INTEGER),
  },
  ['model', 'messages'],
);

export const openAiChatRequestSchema: JsonSchema = { ...request, $defs: { message, part: anyPart, textPart } };
