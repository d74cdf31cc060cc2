import { SchemaValidator } from '../canonical/schema-validator';
import { openAiChatRequestSchema } from './openai-request.schema';
import type { OpenAiChatRequest } from './openai.wire';

const validator: SchemaValidator<OpenAiChatRequest> = new SchemaValidator<OpenAiChatRequest>(openAiChatRequestSchema);

/**
 * Checks that a parsed body has the shape the translator reads (an OpenAI Chat Completions
 * request), throwing `ValidationFailed` with every malformed field. Unknown fields are allowed:
 * which of them may be translated is decided by the translator.
 */
export function assertOpenAiChatRequest(body: unknown): asserts body is OpenAiChatRequest {
  validator.assert(body);
}
