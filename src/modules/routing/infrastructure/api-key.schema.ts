import { EntitySchema } from '@mikro-orm/core';
import { ApiKey } from '../domain/api-key';

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    projectId: { type: 'uuid' },
    name: { type: 'string' },
    prefix: { type: 'string', unique: true },
    keyHash: { type: 'string' },
    createdByUserId: { type: 'uuid' },
    expiresAt: { type: 'Date', nullable: true },
    revokedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export const ROUTING_ENTITIES = [ApiKeySchema];
