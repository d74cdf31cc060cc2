import { Injectable } from '@nestjs/common';
import { Catalog } from '../../catalog/domain/catalog';
import { enabledCatalogModels } from '../../catalog/domain/provisioning';
import { credentialSourceOf } from '../domain/virtual-model';
import { PlatformCredentials } from './platform-credentials';
import { RoutingDirectory } from './routing-directory';
import { RoutingPolicyService } from './routing-policy.service';

export type ListedModel = { id: string; ownedBy: string[]; source: 'byok' | 'platform' | 'mixed'; kind: 'catalog' | 'custom' | 'virtual' };

/** Owner shown for a virtual model (OpenAI's `owned_by`). */
export const VIRTUAL_OWNER = 'virtual';

/**
 * Every model a project can reach: enabled models of its integrations, the platform credentials'
 * models, and the project's virtual models (which win over a model of the same name, as in routing).
 */
@Injectable()
export class ModelListingService {
  constructor(
    private readonly directory: RoutingDirectory,
    private readonly catalog: Catalog,
    private readonly platform: PlatformCredentials,
    private readonly policies: RoutingPolicyService,
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
    const listed = new Map<string, ListedModel>(
      [...models.entries()].map(([id, e]) => [id, { id, ownedBy: [...e.owners].sort(), source: e.byok && e.platform ? 'mixed' : e.byok ? 'byok' : 'platform', kind: e.kind }]),
    );
    for (const virtualModel of (await this.policies.forProject(projectId)).virtualModels) {
      listed.set(virtualModel.name, { id: virtualModel.name, ownedBy: [VIRTUAL_OWNER], source: credentialSourceOf(virtualModel.targets), kind: 'virtual' });
    }
    return [...listed.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
