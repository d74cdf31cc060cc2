import { BodyChecker, isUnset } from '../canonical/body-checker';
import { isObject, isString } from '../canonical/json-guards';
import type { AnthropicMessagesRequest } from './anthropic.wire';

/**
 * Checks that a parsed body has the shape the translator reads (an Anthropic Messages
 * request), throwing `ValidationFailed` with every malformed field. Unknown fields and block
 * types are allowed: which of them may be translated is decided by the translator.
 */
export function assertAnthropicMessagesRequest(body: unknown): asserts body is AnthropicMessagesRequest {
  const check = new BodyChecker();
  if (!check.object(body, 'body')) return check.throwIfInvalid();
  check.string(body.model, 'model');
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 0) {
    check.fail('max_tokens', 'must be a non-negative integer');
  }
  if (check.array(body.messages, 'messages')) body.messages.forEach((m, i) => checkMessage(check, m, `messages[${i}]`));
  checkSystem(check, body.system);
  for (const field of ['temperature', 'top_p', 'top_k']) check.optionalNumber(body[field], field);
  check.optionalBoolean(body.stream, 'stream');
  check.optionalStringArray(body.stop_sequences, 'stop_sequences');
  if (check.optionalObject(body.metadata, 'metadata') && isObject(body.metadata)) check.optionalString(body.metadata.user_id, 'metadata.user_id');
  if (!isUnset(body.tools) && check.array(body.tools, 'tools')) body.tools.forEach((t, i) => checkTool(check, t, `tools[${i}]`));
  checkTyped(check, body.tool_choice, 'tool_choice', ['auto', 'any', 'tool', 'none']);
  if (isObject(body.tool_choice) && body.tool_choice.type === 'tool') check.string(body.tool_choice.name, 'tool_choice.name');
  checkTyped(check, body.thinking, 'thinking', ['enabled', 'disabled', 'adaptive']);
  if (isObject(body.thinking) && body.thinking.type === 'enabled') check.optionalNumber(body.thinking.budget_tokens, 'thinking.budget_tokens');
  checkOutputConfig(check, body.output_config);
  check.throwIfInvalid();
}

function checkTyped(check: BodyChecker, value: unknown, path: string, types: readonly string[]): void {
  if (isUnset(value) || !check.object(value, path)) return;
  check.oneOf(value.type, types, `${path}.type`);
}

function checkSystem(check: BodyChecker, system: unknown): void {
  if (isUnset(system) || isString(system)) return;
  if (!check.array(system, 'system')) return;
  system.forEach((block, j) => {
    if (check.object(block, `system[${j}]`) && check.oneOf(block.type, ['text'], `system[${j}].type`)) check.string(block.text, `system[${j}].text`);
  });
}

function checkMessage(check: BodyChecker, message: unknown, path: string): void {
  if (!check.object(message, path) || !check.oneOf(message.role, ['user', 'assistant'], `${path}.role`)) return;
  if (isString(message.content)) return;
  if (!check.array(message.content, `${path}.content`)) return;
  message.content.forEach((block, j) => checkBlock(check, block, `${path}.content[${j}]`));
}

function checkBlock(check: BodyChecker, block: unknown, path: string): void {
  if (!check.object(block, path) || !check.string(block.type, `${path}.type`)) return;
  switch (block.type) {
    case 'text':
      check.string(block.text, `${path}.text`);
      return;
    case 'image':
    case 'document':
      checkTyped(check, block.source, `${path}.source`, ['base64', 'url', 'file', 'text', 'content']);
      checkSource(check, block.source, `${path}.source`);
      return;
    case 'tool_use':
      check.string(block.id, `${path}.id`);
      check.string(block.name, `${path}.name`);
      return;
    case 'tool_result':
      check.string(block.tool_use_id, `${path}.tool_use_id`);
      check.optionalBoolean(block.is_error, `${path}.is_error`);
      if (isUnset(block.content) || isString(block.content)) return;
      if (check.array(block.content, `${path}.content`)) block.content.forEach((item, k) => checkBlock(check, item, `${path}.content[${k}]`));
      return;
    case 'thinking':
      check.string(block.thinking, `${path}.thinking`);
      check.string(block.signature, `${path}.signature`);
      return;
    default:
      return;
  }
}

function checkSource(check: BodyChecker, source: unknown, path: string): void {
  if (!isObject(source)) return;
  if (source.type === 'url') check.string(source.url, `${path}.url`);
  if (source.type === 'base64' || source.type === 'text') {
    check.string(source.media_type, `${path}.media_type`);
    check.string(source.data, `${path}.data`);
  }
}

function checkTool(check: BodyChecker, tool: unknown, path: string): void {
  if (!check.object(tool, path)) return;
  check.string(tool.name, `${path}.name`);
  check.optionalString(tool.description, `${path}.description`);
  if (isUnset(tool.type) || tool.type === 'custom') check.object(tool.input_schema, `${path}.input_schema`);
}

function checkOutputConfig(check: BodyChecker, config: unknown): void {
  if (isUnset(config) || !check.object(config, 'output_config')) return;
  check.optionalString(config.effort, 'output_config.effort');
  if (isUnset(config.format) || !check.object(config.format, 'output_config.format')) return;
  check.oneOf(config.format.type, ['json_schema'], 'output_config.format.type');
  check.object(config.format.schema, 'output_config.format.schema');
}
