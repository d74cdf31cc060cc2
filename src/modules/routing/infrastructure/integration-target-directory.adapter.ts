import { Injectable } from '@nestjs/common';
import { CustomModelRepository } from '../../integrations/application/ports/custom-model-repository.port';
import { IntegrationRepository } from '../../integrations/application/ports/integration-repository.port';
import { TargetDirectory } from '../application/ports/routing-policy-repository.port';
import { PlatformCredentials } from '../application/platform-credentials';
import type { TargetOptions } from '../domain/route-target';

/** Reads what a target may name from the integrations module (any status: a disabled integration may come back) and the platform credentials. */
@Injectable()
export class IntegrationTargetDirectory implements TargetDirectory {
  constructor(
    private readonly integrations: IntegrationRepository,
    private readonly customModels: CustomModelRepository,
    private readonly platform: PlatformCredentials,
  ) {}

  async optionsFor(organizationId: string, projectId: string): Promise<TargetOptions> {
    const inScope = (await this.integrations.listByOrganization(organizationId)).filter((i) => i.isInScopeOf(projectId));
    const models = await this.customModels.listByIntegrationIds(inScope.map((i) => i.id));
    return {
      integrations: inScope.map((i) => ({
        providerSlug: i.providerSlug,
        provider: i.provider,
        provisioning: i.provisioning,
        customModelSlugs: models.filter((m) => m.integrationId === i.id).map((m) => m.modelSlug),
      })),
      platformProviders: this.platform.providers(),
    };
  }
}
