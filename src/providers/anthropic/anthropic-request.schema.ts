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
  whenField,
  withMessage,
} from '../canonical/schema-validator';

/**
 * JSON Schema of an Anthropic Messages request (https://docs.anthropic.com/en/api/messages), as
 * far as this gateway reads it.
 *
 * - Unknown fields, block types and server-tool types are allowed: same-format requests pass them
 *   through, and the translator decides what a cross-format request may carry.
 * - Optional fields accept `null`, as JSON's "not set".
 * - Tags that pick a shape (`role`, block and source `type`, `tool_choice.type`, `thinking.type`)
 *   are enums or checked per value; open-ended values (`service_tier`, `output_config.effort`, …)
 *   are strings.
 */

const cacheControl = nullable(object({ type: STRING, ttl: nullable(STRING) }, ['type']));
const citationsEnabled = nullable(object({ enabled: nullable(BOOLEAN) }));

/** A block whose known types are checked by `cases`; every block may carry `cache_control`. */
function block(cases: Record<string, JsonSchema>, type: JsonSchema = STRING): JsonSchema {
  return { ...object({ type, cache_control: cacheControl }, ['type']), ...switchOn('type', cases) };
}

const text = object({ text: STRING, citations: nullable(arrayOf(object({ type: STRING }, ['type']))) }, ['text']);

const sourceCases: Record<string, JsonSchema> = {
  base64: object({ media_type: STRING, data: STRING }, ['media_type', 'data']),
  url: object({ url: STRING }, ['url']),
  file: object({ file_id: STRING }, ['file_id']),
};

const imageSource: JsonSchema = { ...object({ type: oneOfValues(['base64', 'url', 'file']) }, ['type']), ...switchOn('type', sourceCases) };
const image = object({ source: imageSource }, ['source']);

/** The blocks of a `content` document source: text and images. */
const documentContentBlock = block({ text, image });
const documentSource: JsonSchema = {
  ...object({ type: oneOfValues(['base64', 'text', 'url', 'content', 'file']) }, ['type']),
  ...switchOn('type', {
    ...sourceCases,
    text: sourceCases['base64'],
    content: object({ content: withMessage({ type: ['string', 'array'], items: documentContentBlock }, 'must be a string or an array of content blocks') }, ['content']),
  }),
};
const document = object({ source: documentSource, title: nullable(STRING), context: nullable(STRING), citations: citationsEnabled }, ['source']);

const searchResult = object(
  { source: STRING, title: STRING, content: arrayOf(block({ text }, oneOfValues(['text']))), citations: citationsEnabled },
  ['source', 'title', 'content'],
);

/** What a `tool_result` may hold; unknown types (e.g. `tool_reference`) are left to the translator. */
const toolResultContentBlock = block({ text, image, document, search_result: searchResult });

const toolUse = object({ id: STRING, name: STRING, input: ANY_OBJECT }, ['id', 'name', 'input']);
/** Results of server-run tools; their `content` is an array of results or an error object. */
const serverToolResult = object({ tool_use_id: STRING, content: withMessage({ type: ['object', 'array'] }, 'must be an array of results or an error object') }, ['tool_use_id', 'content']);

const contentBlock = block({
  text,
  image,
  document,
  search_result: searchResult,
  thinking: object({ thinking: STRING, signature: STRING }, ['thinking', 'signature']),
  redacted_thinking: object({ data: STRING }, ['data']),
  tool_use: toolUse,
  tool_result: object(
    {
      tool_use_id: STRING,
      is_error: nullable(BOOLEAN),
      content: withMessage({ type: ['string', 'array', 'null'], items: ref('toolResultBlock') }, 'must be a string or an array of content blocks'),
    },
    ['tool_use_id'],
  ),
  server_tool_use: toolUse,
  web_search_tool_result: serverToolResult,
  web_fetch_tool_result: serverToolResult,
  code_execution_tool_result: serverToolResult,
  bash_code_execution_tool_result: serverToolResult,
  text_editor_code_execution_tool_result: serverToolResult,
  tool_search_tool_result: serverToolResult,
  mcp_tool_use: object({ id: STRING, name: STRING, server_name: STRING, input: ANY_OBJECT }, ['id', 'name', 'server_name', 'input']),
  mcp_tool_result: object(
    {
      tool_use_id: STRING,
      is_error: nullable(BOOLEAN),
      content: withMessage({ type: ['string', 'array', 'null'], items: block({ text }) }, 'must be a string or an array of text blocks'),
    },
    ['tool_use_id'],
  ),
  container_upload: object({ file_id: STRING }, ['file_id']),
});

const message = object(
  {
    role: oneOfValues(['user', 'assistant']),
    content: withMessage({ type: ['string', 'array'], items: ref('block') }, 'must be a string or an array of content blocks'),
  },
  ['role', 'content'],
);

const system = withMessage({ type: ['string', 'array', 'null'], items: block({ text }, oneOfValues(['text'])) }, 'must be a string or an array of text blocks');

/** A server tool's type carries its version (`web_search_20250305`); checked by prefix. */
function serverTool(prefix: string, then: JsonSchema): JsonSchema {
  return whenField('type', { type: 'string', pattern: `^${prefix}_` }, then);
}

const domainFilters = { allowed_domains: nullable(arrayOf(STRING)), blocked_domains: nullable(arrayOf(STRING)), max_uses: nullable(INTEGER) };

const tool: JsonSchema = {
  ...object(
    {
      type: nullable(STRING),
      name: STRING,
      description: nullable(STRING),
      cache_control: cacheControl,
      strict: nullable(BOOLEAN),
      input_examples: nullable(arrayOf(ANY_OBJECT)),
      defer_loading: nullable(BOOLEAN),
      allowed_callers: nullable(arrayOf(STRING)),
      eager_input_streaming: nullable(BOOLEAN),
    },
    ['name'],
  ),
  // A client tool has `type` custom or none, and an input schema; any other type is a server tool.
  if: { type: 'object', properties: { type: { enum: ['custom', null] } } },
  then: object({ input_schema: object({ type: STRING, properties: nullable(ANY_OBJECT), required: nullable(arrayOf(STRING)) }) }, ['input_schema']),
  else: {
    allOf: [
      serverTool('web_search', object({ ...domainFilters, user_location: nullable(object({ type: STRING }, ['type'])) })),
      serverTool('web_fetch', object({ ...domainFilters, citations: citationsEnabled, max_content_tokens: nullable(INTEGER) })),
      serverTool('computer', object({ display_width_px: INTEGER, display_height_px: INTEGER, display_number: nullable(INTEGER) }, ['display_width_px', 'display_height_px'])),
    ],
  },
};

const toolChoice: JsonSchema = {
  ...object({ type: oneOfValues(['auto', 'any', 'tool', 'none']), disable_parallel_tool_use: nullable(BOOLEAN) }, ['type']),
  ...switchOn('type', { tool: object({ name: STRING }, ['name']) }),
};

const thinking: JsonSchema = {
  ...object({ type: oneOfValues(['enabled', 'disabled', 'adaptive']), display: nullable(STRING) }, ['type']),
  ...switchOn('type', { enabled: object({ budget_tokens: INTEGER }, ['budget_tokens']) }),
};

const mcpServer = object(
  {
    type: STRING,
    url: STRING,
    name: STRING,
    authorization_token: nullable(STRING),
    tool_configuration: nullable(object({ enabled: nullable(BOOLEAN), allowed_tools: nullable(arrayOf(STRING)) })),
  },
  ['type', 'url', 'name'],
);

const request = object(
  {
    model: STRING,
    max_tokens: withMessage({ type: 'integer', minimum: 0 }, 'must be a non-negative integer'),
    messages: arrayOf(message),
    system,
    temperature: nullable(NUMBER),
    top_p: nullable(NUMBER),
    top_k: nullable(INTEGER),
    stream: nullable(BOOLEAN),
    stop_sequences: nullable(arrayOf(STRING)),
    metadata: nullable(object({ user_id: nullable(STRING) })),
    tools: nullable(arrayOf(ref('tool'))),
    tool_choice: nullable(toolChoice),
    thinking: nullable(thinking),
    output_config: nullable(
      object({ effort: nullable(STRING), format: nullable(object({ type: oneOfValues(['json_schema']), schema: ANY_OBJECT }, ['type', 'schema'])) }),
    ),
    service_tier: nullable(STRING),
    cache_control: cacheControl,
    container: nullable(withMessage({ ...object({ id: nullable(STRING), skills: nullable(arrayOf(ANY_OBJECT)) }), type: ['string', 'object'] }, 'must be a container id or an object')),
    mcp_servers: nullable(arrayOf(mcpServer)),
    context_management: nullable(ANY_OBJECT),
    inference_geo: nullable(STRING),
    speed: nullable(STRING),
    diagnostics: nullable(object({ previous_message_id: nullable(STRING) })),
  },
  ['model', 'max_tokens', 'messages'],
);

export const anthropicMessagesRequestSchema: JsonSchema = { ...request, $defs: { block: contentBlock, toolResultBlock: toolResultContentBlock, tool } };
