import { EntitySchema } from '@mikro-orm/core';
import { GatewayConfig } from '../domain/gateway-config';
import { VirtualModel } from '../domain/virtual-model';

export const VirtualModelSchema = new EntitySchema<VirtualModel>({
  class: VirtualModel,
  tableName: 'virtual_models',
  forceConstructor: false,
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    projectId: { type: 'uuid' },
    name: { type: 'string' },
    description: { type: 'string', nullable: true },
    targets: { type: 'json' },
    configId: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});

export const GatewayConfigSchema = new EntitySchema<GatewayConfig>({
  class: GatewayConfig,
  tableName: 'gateway_configs',
  forceConstructor: false,
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    projectId: { type: 'uuid' },
    name: { type: 'string' },
    strategy: { type: 'string' },
    targets: { type: 'json', nullable: true },
    retry: { type: 'json' },
    timeoutMs: { type: 'integer' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});

export const ROUTING_POLICY_ENTITIES = [VirtualModelSchema, GatewayConfigSchema];
