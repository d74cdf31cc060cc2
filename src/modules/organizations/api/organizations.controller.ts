import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentActor } from '../../../platform/auth/authorize.decorator';
import type { Actor } from '../../../platform/auth/actor';
import { OrganizationService } from '../application/organization.service';
import {
  ChangeOrgRoleDto,
  CreatedInvitationResponse,
  CreateProjectDto,
  InvitationResponse,
  InviteMemberDto,
  MemberResponse,
  OrganizationResponse,
  ProjectResponse,
  UpdateOrganizationDto,
} from './organization.dto';
import { toInvitation, toMember, toOrganization, toProject } from './organization.mappers';

const ORG = { kind: 'organization', param: 'orgId' };
const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('organizations')
@Controller('api/organizations/:orgId')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Get()
  @Authorize('organization.read', ORG)
  @ApiOperation({ summary: 'An organization' })
  @ApiOkResponse({ type: OrganizationResponse })
  async get(@Param('orgId') orgId: string): Promise<OrganizationResponse> {
    return toOrganization(await this.organizations.getOrganization(orgId));
  }

  @Patch()
  @Authorize('organization.manage', ORG)
  @ApiOperation({ summary: 'Rename an organization (owners)' })
  @ApiOkResponse({ type: OrganizationResponse })
  async update(@Param('orgId') orgId: string, @Body() body: UpdateOrganizationDto): Promise<OrganizationResponse> {
    return toOrganization(await this.organizations.renameOrganization(orgId, body.name));
  }

  @Get('members')
  @Authorize('org-members.read', ORG)
  @ApiOperation({ summary: 'Members of an organization' })
  @ApiOkResponse({ type: [MemberResponse] })
  async members(@Param('orgId') orgId: string): Promise<MemberResponse[]> {
    return (await this.organizations.listMembers(orgId)).map(toMember);
  }

  @Post('members')
  @Authorize('org-members.manage', ORG)
  @ApiOperation({
    summary: 'Invite a person by email (owners)',
    description: 'Returns a one-time token, shown only in this response; the invited person accepts with POST /api/auth/accept-invitation.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationResponse })
  @ApiConflictResponse({ description: 'Already a member.' })
  async invite(@Param('orgId') orgId: string, @CurrentActor() actor: Actor, @Body() body: InviteMemberDto): Promise<CreatedInvitationResponse> {
    const { invitation, token } = await this.organizations.invite(orgId, actor, body);
    return { ...toInvitation(invitation), token };
  }

  @Get('invitations')
  @Authorize('org-members.manage', ORG)
  @ApiOperation({ summary: 'Open invitations (owners)' })
  @ApiOkResponse({ type: [InvitationResponse] })
  async invitations(@Param('orgId') orgId: string): Promise<InvitationResponse[]> {
    return (await this.organizations.listInvitations(orgId)).map(toInvitation);
  }

  @Patch('members/:userId')
  @Authorize('org-members.manage', ORG)
  @ApiOperation({ summary: "Change a member's role (owners)", description: 'The last owner cannot be demoted.' })
  @ApiOkResponse({ type: MemberResponse })
  @ApiConflictResponse({ description: 'It would leave the organization without an owner.' })
  async changeRole(@Param('orgId') orgId: string, @Param('userId', uuid) userId: string, @Body() body: ChangeOrgRoleDto): Promise<MemberResponse> {
    return toMember(await this.organizations.changeMemberRole(orgId, userId, body.role));
  }

  @Delete('members/:userId')
  @HttpCode(204)
  @Authorize('org-members.manage', ORG)
  @ApiOperation({ summary: 'Remove a member (owners)', description: 'Also removes their project memberships. The last owner cannot be removed.' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiConflictResponse({ description: 'It would leave the organization without an owner.' })
  async remove(@Param('orgId') orgId: string, @Param('userId', uuid) userId: string): Promise<void> {
    await this.organizations.removeMember(orgId, userId);
  }

  @Get('projects')
  @Authorize('projects.read', ORG)
  @ApiOperation({ summary: 'Projects', description: 'Owners see every project; other members see the projects they belong to.' })
  @ApiOkResponse({ type: [ProjectResponse] })
  async projects(@Param('orgId') orgId: string, @CurrentActor() actor: Actor): Promise<ProjectResponse[]> {
    return (await this.organizations.listProjects(orgId, actor)).map(toProject);
  }

  @Post('projects')
  @Authorize('projects.manage', ORG)
  @ApiOperation({ summary: 'Create a project (owners)' })
  @ApiCreatedResponse({ type: ProjectResponse })
  @ApiConflictResponse({ description: 'A project with this name exists.' })
  async createProject(@Param('orgId') orgId: string, @Body() body: CreateProjectDto): Promise<ProjectResponse> {
    return toProject(await this.organizations.createProject(orgId, body));
  }
}
