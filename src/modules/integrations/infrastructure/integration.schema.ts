import { EntitySchema } from '@mikro-orm/core';
import { AuditEvent, Integration } from '../domain/integration';

export const IntegrationSchema = new EntitySchema<Integration>({
  class: Integration,
  tableName: 'integrations',
  forceConstructor: false,
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    name: { type: 'string' },
    providerSlug: { type: 'string' },
    provider: { type: 'string' },
    description: { type: 'string', nullable: true },
    projectScope: { type: 'json' },
    status: { type: 'string' },
    credential: { type: 'json' },
    credentialSummary: { type: 'json' },
    credentialVersion: { type: 'integer' },
    customAuthHeaders: { type: 'json', nullable: true },
    customAuthHeaderNames: { type: 'json' },
    options: { type: 'json' },
    provisioning: { type: 'json' },
    health: { type: 'json' },
    createdByUserId: { type: 'uuid' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  class: AuditEvent,
  tableName: 'audit_events',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    actorUserId: { type: 'uuid' },
    action: { type: 'string' },
    integrationId: { type: 'uuid' },
    integrationSlug: { type: 'string' },
    details: { type: 'json' },
    ip: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export const INTEGRATION_ENTITIES = [IntegrationSchema, AuditEventSchema];
