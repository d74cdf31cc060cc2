import type { CustomModel } from '../../domain/custom-model';

/** Custom models of integrations. A custom model goes away with its integration. */
export abstract class CustomModelRepository {
  /** One integration's custom models, by `modelSlug`. */
  abstract listByIntegration(integrationId: string): Promise<CustomModel[]>;
  /** The custom models of many integrations at once (for warming the proxy's caches), by integration then `modelSlug`. */
  abstract listByIntegrationIds(integrationIds: readonly string[]): Promise<CustomModel[]>;
  abstract find(integrationId: string, modelSlug: string): Promise<CustomModel | null>;
  /**
   * Inserts or updates. Throws `CustomModelSlugTaken` when another custom model of the integration has the
   * slug, and `IntegrationNotFound` when the integration is gone.
   */
  abstract save(model: CustomModel): Promise<void>;
  abstract delete(id: string): Promise<boolean>;
}
