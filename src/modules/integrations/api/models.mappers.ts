import type { ModelPricing } from '../../catalog/domain/catalog';
import type { ProvisioningChange } from '../../catalog/domain/provisioning';
import type { ChangeProvisioning, CreateCustomModel, ProvisionedModel, ProvisioningView, UpdateCustomModel } from '../application/provisioning.service';
import type { CustomModel } from '../domain/custom-model';
import type {
  ChangeProvisioningDto,
  CreateCustomModelDto,
  CustomModelResponse,
  ProvisionedModelPricingResponse,
  ProvisionedModelResponse,
  ProvisioningResponse,
  UpdateCustomModelDto,
} from './models.dto';

export function toProvisioning(view: ProvisioningView): ProvisioningResponse {
  return { autoEnable: view.autoEnable, models: view.models.map(toProvisionedModel), customModels: view.customModels.map(toCustomModel) };
}

export function toCustomModel(model: CustomModel): CustomModelResponse {
  return {
    id: model.id,
    integrationId: model.integrationId,
    modelSlug: model.modelSlug,
    baseModel: model.baseModel,
    customHost: model.customHost,
    inputPricePerMTok: model.inputPricePerMTok,
    outputPricePerMTok: model.outputPricePerMTok,
    additionalPricing: model.additionalPricing ? { ...model.additionalPricing } : null,
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  };
}

/** The validated body as a use-case input: the validation pipe has made sure exactly one of all, none, models is set. */
export function fromChangeProvisioning(body: ChangeProvisioningDto): ChangeProvisioning {
  return body.autoEnable === undefined ? { change: changeOf(body) } : { change: changeOf(body), autoEnable: body.autoEnable };
}

export function fromCreateCustomModel(body: CreateCustomModelDto): CreateCustomModel {
  return {
    modelSlug: body.modelSlug,
    baseModel: body.baseModel ?? null,
    customHost: body.customHost ?? null,
    inputPricePerMTok: body.inputPricePerMTok,
    outputPricePerMTok: body.outputPricePerMTok,
    additionalPricing: body.additionalPricing ?? null,
  };
}

/** Only the fields sent; a `null` clears. */
export function fromUpdateCustomModel(body: UpdateCustomModelDto): UpdateCustomModel {
  const update: UpdateCustomModel = {};
  if (body.modelSlug !== undefined) update.modelSlug = body.modelSlug;
  if (body.baseModel !== undefined) update.baseModel = body.baseModel;
  if (body.customHost !== undefined) update.customHost = body.customHost;
  if (body.inputPricePerMTok !== undefined) update.inputPricePerMTok = body.inputPricePerMTok;
  if (body.outputPricePerMTok !== undefined) update.outputPricePerMTok = body.outputPricePerMTok;
  if (body.additionalPricing !== undefined) update.additionalPricing = body.additionalPricing;
  return update;
}

function changeOf(body: ChangeProvisioningDto): ProvisioningChange {
  if (body.all) return { all: true };
  if (body.none) return { none: true };
  return { models: body.models ?? {} };
}

function toProvisionedModel({ model, enabled }: ProvisionedModel): ProvisionedModelResponse {
  return { slug: model.slug, model: model.model, displayName: model.displayName, modality: model.modality, enabled, pricing: toPricing(model.pricing) };
}

function toPricing(pricing: ModelPricing): ProvisionedModelPricingResponse {
  const response: ProvisionedModelPricingResponse = { inputPerMTok: pricing.inputPerMTok, outputPerMTok: pricing.outputPerMTok };
  if (pricing.cachedInputPerMTok !== undefined) response.cachedInputPerMTok = pricing.cachedInputPerMTok;
  if (pricing.cacheWritePerMTok !== undefined) response.cacheWritePerMTok = pricing.cacheWritePerMTok;
  if (pricing.perImage !== undefined) response.perImage = pricing.perImage;
  if (pricing.perSecond !== undefined) response.perSecond = pricing.perSecond;
  return response;
}
