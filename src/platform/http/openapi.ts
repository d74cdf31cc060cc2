import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:keyway:problem:validation-failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request is invalid; see errors for each field.' },
    instance: { type: 'string', example: '/api/organizations/2a7e4c1b-3d5f-4e6a-9b8c-7d6e5f4a3b2c/integrations' },
    requestId: { type: 'string', example: 'b1f0c3f2-6a8e-4d5b-9c7a-1e2f3a4b5c6d' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'providerSlug' }, message: { type: 'string', example: 'is already in use' } },
      },
    },
  },
} as const;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Keyway')
    .setDescription(
      'Self-hostable LLM gateway with Bring Your Own Key.\n\n' +
        '**Management API** (`/api`): JSON, bearer token from `POST /api/auth/login` (security scheme `jwt`). ' +
        'Errors are `application/problem+json` (RFC 9457) with an `errors` list naming each invalid field.\n\n' +
        '**Proxy API** (`/v1`): OpenAI- and Anthropic-compatible, authenticated with a gateway API key (`Authorization: Bearer kw-…` or `x-api-key`, security scheme `api-key`). ' +
        "Errors keep the caller's format.",
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Management API token.' }, 'jwt')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'Gateway API key: `Bearer kw-…` (or send it as `x-api-key`).' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return withProblemResponses(document);
}

/** Every management-API error response is problem+json; say so once here instead of on every decorator. */
function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never } };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, { description?: string; content?: unknown }>;
      responses['400'] ??= { description: 'Invalid input; `errors` names each field.' };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content) {
          response.content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
        }
      }
    }
  }
  return document;
}
