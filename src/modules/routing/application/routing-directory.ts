import { Injectable } from '@nestjs/common';
import type { Integration } from '../../integrations/domain/integration';
import { IntegrationChanges } from '../../integrations/application/ports/integration-changes.port';
import { IntegrationRepository } from '../../integrations/application/ports/integration-repository.port';

/**
 * The integrations of each organization, held in memory for the proxy's hot path. Loaded on
 * first use and dropped for an organization whenever one of its integrations changes anywhere.
 */
@Injectable()
export class RoutingDirectory {
  private readonly byOrganization = new Map<string, Promise<Integration[]>>();

  constructor(
    private readonly integrations: IntegrationRepository,
    changes: IntegrationChanges,
  ) {
    changes.subscribe((change) => {
      if ((change as { all?: string }).all) this.byOrganization.clear();
      else this.byOrganization.delete(change.organizationId);
    });
  }

  /** Active integrations of the organization that serve this project. */
  async integrationsFor(organizationId: string, projectId: string): Promise<Integration[]> {
    const all = await this.load(organizationId);
    return all.filter((i) => i.status === 'active' && i.isInScopeOf(projectId));
  }

  private load(organizationId: string): Promise<Integration[]> {
    let entry = this.byOrganization.get(organizationId);
    if (!entry) {
      entry = this.integrations.listByOrganization(organizationId);
      this.byOrganization.set(organizationId, entry);
      entry.catch(() => this.byOrganization.delete(organizationId));
    }
    return entry;
  }
}
