import { EntitySchema } from '@mikro-orm/core';
import { CustomModel } from '../domain/custom-model';

export const CustomModelSchema = new EntitySchema<CustomModel>({
  class: CustomModel,
  tableName: 'custom_models',
  forceConstructor: false,
  properties: {
    id: { type: 'uuid', primary: true },
    integrationId: { type: 'uuid' },
    organizationId: { type: 'uuid' },
    modelSlug: { type: 'string' },
    baseModel: { type: 'string', nullable: true },
    customHost: { type: 'string', nullable: true },
    inputPricePerMTok: { type: 'double', runtimeType: 'number', fieldName: 'input_per_mtok' },
    outputPricePerMTok: { type: 'double', runtimeType: 'number', fieldName: 'output_per_mtok' },
    additionalPricing: { type: 'json', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});

export const CUSTOM_MODEL_ENTITIES = [CustomModelSchema];
