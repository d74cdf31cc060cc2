import { Injectable } from '@nestjs/common';
import type { Integration } from '../../integrations/domain/integration';
import type { CustomModel } from '../../integrations/domain/custom-model';
import { IntegrationChanges } from '../../integrations/application/ports/integration-changes.port';
import { IntegrationRepository } from '../../integrations/application/ports/integration-repository.port';
import { CustomModelRepository } from '../../integrations/application/ports/custom-model-repository.port';

export type RoutableIntegration = { integration: Integration; customModels: readonly CustomModel[] };

/**
 * The integrations (with their custom models) of each organization, held in memory for the
 * proxy's hot path. Loaded on first use and dropped for an organization whenever one of its
 * integrations changes on any instance.
 */
@Injectable()
export class RoutingDirectory {
  private readonly byOrganization = new Map<string, Promise<RoutableIntegration[]>>();

  constructor(
    private readonly integrations: IntegrationRepository,
    private readonly customModels: CustomModelRepository,
    changes: IntegrationChanges,
  ) {
    changes.subscribe((change) => {
      if ((change as { all?: string }).all) this.byOrganization.clear();
      else this.byOrganization.delete(change.organizationId);
    });
  }

  /** Active integrations of the organization that serve this project. */
  async integrationsFor(organizationId: string, projectId: string): Promise<RoutableIntegration[]> {
    const all = await this.load(organizationId);
    return all.filter((r) => r.integration.status === 'active' && r.integration.isInScopeOf(projectId));
  }

  private load(organizationId: string): Promise<RoutableIntegration[]> {
    let entry = this.byOrganization.get(organizationId);
    if (!entry) {
      entry = this.fetch(organizationId);
      this.byOrganization.set(organizationId, entry);
      entry.catch(() => this.byOrganization.delete(organizationId));
    }
    return entry;
  }

  private async fetch(organizationId: string): Promise<RoutableIntegration[]> {
    const integrations = await this.integrations.listByOrganization(organizationId);
    const models = integrations.length > 0 ? await this.customModels.listByIntegrationIds(integrations.map((i) => i.id)) : [];
    return integrations.map((integration) => ({ integration, customModels: models.filter((m) => m.integrationId === integration.id) }));
  }
}
