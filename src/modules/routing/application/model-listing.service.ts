import { Injectable } from '@nestjs/common';
import { Catalog } from '../../catalog/domain/catalog';
import { enabledCatalogModels } from '../../catalog/domain/provisioning';
import { PlatformCredentials } from './platform-credentials';
import { RoutingDirectory } from './routing-directory';

export type ListedModel = { id: string; ownedBy: string[]; source: 'byok' | 'platform' | 'mixed'; kind: 'catalog' | 'custom' };

/** Every model a project can reach: enabled models of its integrations, and the platform credentials' models. */
@Injectable()
export class ModelListingService {
  constructor(
    private readonly directory: RoutingDirectory,
    private readonly catalog: Catalog,
    private readonly platform: PlatformCredentials,
  ) {}

  async list(organizationId: string, projectId: string): Promise<ListedModel[]> {
    const models = new Map<string, { owners: Set<string>; byok: boolean; platform: boolean; kind: 'catalog' | 'custom' }>();
    const add = (id: string, owner: string, source: 'byok' | 'platform', kind: 'catalog' | 'custom') => {
      const entry = models.get(id) ?? { owners: new Set<string>(), byok: false, platform: false, kind };
      entry.owners.add(owner);
      entry[source] = true;
      models.set(id, entry);
    };
    for (const { integration, customModels } of await this.directory.integrationsFor(organizationId, projectId)) {
      for (const model of enabledCatalogModels(integration.provisioning, this.catalog.modelsOf(integration.provider))) {
        add(model.slug, integration.providerSlug, 'byok', 'catalog');
      }
      for (const model of customModels) add(model.modelSlug, integration.providerSlug, 'byok', 'custom');
    }
    for (const provider of this.platform.providers()) {
      for (const model of this.catalog.modelsOf(provider)) add(model.slug, `platform:${provider}`, 'platform', 'catalog');
    }
    return [...models.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, e]) => ({ id, ownedBy: [...e.owners].sort(), source: e.byok && e.platform ? 'mixed' : e.byok ? 'byok' : 'platform', kind: e.kind }));
  }
}
