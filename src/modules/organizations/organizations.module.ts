import { Module, OnModuleInit } from '@nestjs/common';
import { MembershipDirectory } from '../../platform/auth/actor';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { IdentityService } from './application/identity.service';
import { OrganizationService } from './application/organization.service';
import { OrganizationRepository } from './application/ports/organization-repository.port';
import { AuthController } from './api/auth.controller';
import { OrganizationsController } from './api/organizations.controller';
import { ProjectsController } from './api/projects.controller';
import { MikroOrmOrganizationRepository } from './infrastructure/organization-repository.adapter';

@Module({
  controllers: [AuthController, OrganizationsController, ProjectsController],
  providers: [
    { provide: OrganizationRepository, useClass: MikroOrmOrganizationRepository },
    IdentityService,
    { provide: MembershipDirectory, useExisting: IdentityService },
    OrganizationService,
  ],
  exports: [MembershipDirectory, OrganizationService, OrganizationRepository],
})
export class OrganizationsModule implements OnModuleInit {
  constructor(
    private readonly scopes: ScopeResolvers,
    private readonly repo: OrganizationRepository,
  ) {}

  onModuleInit(): void {
    this.scopes.register('organization', 'Organization', async (id) => ((await this.repo.findOrganization(id)) ? { organizationId: id } : null));
    this.scopes.register('organization-projects', 'Organization', async (id) =>
      (await this.repo.findOrganization(id)) ? { organizationId: id, projects: 'all' } : null,
    );
    this.scopes.register('project', 'Project', async (id) => {
      const project = await this.repo.findProject(id);
      return project ? { organizationId: project.organizationId, projects: project.id } : null;
    });
  }
}
