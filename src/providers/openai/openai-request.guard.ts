import { BodyChecker, isUnset } from '../canonical/body-checker';
import { isObject, isString } from '../canonical/json-guards';
import type { OpenAiChatRequest } from './openai.wire';

const ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'] as const;
/** Roles whose content parts may only be text. */
const TEXT_ONLY_ROLES: readonly string[] = ['developer', 'system', 'tool'];

/**
 * Checks that a parsed body has the shape the translator reads (an OpenAI Chat Completions
 * request), throwing `ValidationFailed` with every malformed field. Unknown fields are allowed:
 * which of them may be translated is decided by the translator.
 */
export function assertOpenAiChatRequest(body: unknown): asserts body is OpenAiChatRequest {
  const check = new BodyChecker();
  if (!check.object(body, 'body')) return check.throwIfInvalid();
  check.string(body.model, 'model');
  if (check.array(body.messages, 'messages')) body.messages.forEach((m, i) => checkMessage(check, m, `messages[${i}]`));
  for (const field of ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'top_k', 'seed', 'n', 'frequency_penalty', 'presence_penalty', 'top_logprobs']) {
    check.optionalNumber(body[field], field);
  }
  for (const field of ['user', 'safety_identifier', 'reasoning_effort']) check.optionalString(body[field], field);
  check.optionalBoolean(body.stream, 'stream');
  check.optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  check.optionalObject(body.stream_options, 'stream_options');
  if (!isUnset(body.stop) && !isString(body.stop)) check.optionalStringArray(body.stop, 'stop');
  if (!isUnset(body.tools) && check.array(body.tools, 'tools')) body.tools.forEach((t, i) => checkTool(check, t, `tools[${i}]`));
  checkToolChoice(check, body.tool_choice);
  checkResponseFormat(check, body.response_format);
  check.throwIfInvalid();
}

function checkMessage(check: BodyChecker, message: unknown, path: string): void {
  if (!check.object(message, path) || !check.oneOf(message.role, ROLES, `${path}.role`)) return;
  const content = message.content;
  if (message.role === 'tool') check.string(message.tool_call_id, `${path}.tool_call_id`);
  if (message.role === 'assistant') {
    check.optionalString(message.refusal, `${path}.refusal`);
    if (!isUnset(message.tool_calls) && check.array(message.tool_calls, `${path}.tool_calls`)) {
      message.tool_calls.forEach((call, j) => checkToolCall(check, call, `${path}.tool_calls[${j}]`));
    }
    if (isUnset(content)) return;
  }
  if (message.role === 'function' && content === null) return;
  if (isString(content)) return;
  if (!Array.isArray(content)) return check.fail(`${path}.content`, 'must be a string or an array of content parts');
  const allowedTypes = TEXT_ONLY_ROLES.includes(message.role) ? ['text'] : undefined;
  content.forEach((part, j) => checkPart(check, part, `${path}.content[${j}]`, allowedTypes));
}

/** `allowedTypes` restricts the part types; other types are left for the translator to judge. */
function checkPart(check: BodyChecker, part: unknown, path: string, allowedTypes: readonly string[] | undefined): void {
  if (!check.object(part, path) || !check.string(part.type, `${path}.type`)) return;
  if (allowedTypes && !check.oneOf(part.type, allowedTypes, `${path}.type`)) return;
  if (part.type === 'text') check.string(part.text, `${path}.text`);
  if (part.type === 'refusal') check.string(part.refusal, `${path}.refusal`);
  if (part.type === 'image_url' && check.object(part.image_url, `${path}.image_url`)) check.string(part.image_url.url, `${path}.image_url.url`);
  if (part.type === 'file' && check.object(part.file, `${path}.file`)) {
    for (const field of ['file_data', 'file_id', 'filename']) check.optionalString(part.file[field], `${path}.file.${field}`);
  }
  if (part.type === 'input_audio') check.object(part.input_audio, `${path}.input_audio`);
}

function checkToolCall(check: BodyChecker, call: unknown, path: string): void {
  if (!check.object(call, path) || !check.string(call.type, `${path}.type`)) return;
  check.string(call.id, `${path}.id`);
  if (call.type === 'function' && check.object(call.function, `${path}.function`)) {
    check.string(call.function.name, `${path}.function.name`);
    check.string(call.function.arguments, `${path}.function.arguments`);
  }
}

function checkTool(check: BodyChecker, tool: unknown, path: string): void {
  if (!check.object(tool, path) || !check.string(tool.type, `${path}.type`)) return;
  if (tool.type !== 'function' || !check.object(tool.function, `${path}.function`)) return;
  check.string(tool.function.name, `${path}.function.name`);
  check.optionalString(tool.function.description, `${path}.function.description`);
  check.optionalObject(tool.function.parameters, `${path}.function.parameters`);
}

function checkToolChoice(check: BodyChecker, choice: unknown): void {
  if (isUnset(choice) || isString(choice)) return;
  if (!check.object(choice, 'tool_choice') || !check.string(choice.type, 'tool_choice.type')) return;
  if (choice.type === 'function' && check.object(choice.function, 'tool_choice.function')) check.string(choice.function.name, 'tool_choice.function.name');
}

function checkResponseFormat(check: BodyChecker, format: unknown): void {
  if (isUnset(format)) return;
  if (!check.object(format, 'response_format') || !check.oneOf(format.type, ['text', 'json_object', 'json_schema'], 'response_format.type')) return;
  if (format.type !== 'json_schema' || !check.object(format.json_schema, 'response_format.json_schema')) return;
  check.string(format.json_schema.name, 'response_format.json_schema.name');
  if (!isUnset(format.json_schema.schema) && !isObject(format.json_schema.schema)) check.fail('response_format.json_schema.schema', 'must be an object');
}
