import { SchemaValidator } from '../canonical/schema-validator';
import { anthropicMessagesRequestSchema } from './anthropic-request.schema';
import type { AnthropicMessagesRequest } from './anthropic.wire';

const validator: SchemaValidator<AnthropicMessagesRequest> = new SchemaValidator<AnthropicMessagesRequest>(anthropicMessagesRequestSchema);

/**
 * Checks that a parsed body has the shape the translator reads (an Anthropic Messages
 * request), throwing `ValidationFailed` with every malformed field. Unknown fields and block
 * types are allowed: which of them may be translated is decided by the translator.
 */
export function assertAnthropicMessagesRequest(body: unknown): asserts body is AnthropicMessagesRequest {
  validator.assert(body);
}
