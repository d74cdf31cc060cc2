import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Keyway')
    .setDescription(
      'Self-hostable LLM gateway with Bring Your Own Key.\n\n' +
        '**Management API** (`/api`): JSON, bearer token from `POST /api/auth/login` (security scheme `jwt`). ' +
        'Errors are `application/problem+json` (RFC 9457) with an `errors` list naming each invalid field.\n\n' +
        '**Proxy API** (`/v1`): OpenAI- and Anthropic-compatible, authenticated with a gateway API key (`Authorization: Bearer kw-…` or `x-api-key`, security scheme `api-key`). ' +
        'Errors keep the caller\'s format.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Management API token.' }, 'jwt')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'Gateway API key: `Bearer kw-…` (or send it as `x-api-key`).' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}
