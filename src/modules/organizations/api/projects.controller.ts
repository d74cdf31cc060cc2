import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../../platform/auth/authorize.decorator';
import { OrganizationService } from '../application/organization.service';
import { AddProjectMemberDto, ChangeProjectRoleDto, ProjectMemberResponse, ProjectResponse, UpdateProjectDto } from './organization.dto';
import { toProject, toProjectMember } from './organization.mappers';

const PROJECT = { kind: 'project', param: 'projectId' };
const uuid = new ParseUUIDPipe();

@ApiTags('projects')
@Controller('api/projects/:projectId')
export class ProjectsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Get()
  @Authorize('project.read', PROJECT)
  @ApiOperation({ summary: 'A project' })
  @ApiOkResponse({ type: ProjectResponse })
  async get(@Param('projectId') projectId: string): Promise<ProjectResponse> {
    return toProject(await this.organizations.getProject(projectId));
  }

  @Patch()
  @Authorize('projects.manage', PROJECT)
  @ApiOperation({ summary: 'Rename or describe a project (owners)' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiConflictResponse({ description: 'A project with this name exists.' })
  async update(@Param('projectId') projectId: string, @Body() body: UpdateProjectDto): Promise<ProjectResponse> {
    return toProject(await this.organizations.updateProject(projectId, body));
  }

  @Delete()
  @HttpCode(204)
  @Authorize('projects.manage', PROJECT)
  @ApiOperation({ summary: 'Delete a project (owners)', description: 'Its memberships, API keys and routing go with it.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@Param('projectId') projectId: string): Promise<void> {
    await this.organizations.deleteProject(projectId);
  }

  @Get('members')
  @Authorize('project-members.read', PROJECT)
  @ApiOperation({ summary: 'Members of a project' })
  @ApiOkResponse({ type: [ProjectMemberResponse] })
  async members(@Param('projectId') projectId: string): Promise<ProjectMemberResponse[]> {
    return (await this.organizations.listProjectMembers(projectId)).map(toProjectMember);
  }

  @Post('members')
  @Authorize('project-members.manage', PROJECT)
  @ApiOperation({ summary: 'Add an organization member to the project (owners, project admins)' })
  @ApiCreatedResponse({ type: ProjectMemberResponse })
  @ApiConflictResponse({ description: 'Already a member of the project.' })
  async add(@Param('projectId') projectId: string, @Body() body: AddProjectMemberDto): Promise<ProjectMemberResponse> {
    return toProjectMember(await this.organizations.addProjectMember(projectId, body));
  }

  @Patch('members/:userId')
  @Authorize('project-members.manage', PROJECT)
  @ApiOperation({ summary: "Change a project member's role (owners, project admins)" })
  @ApiOkResponse({ type: ProjectMemberResponse })
  async changeRole(@Param('projectId') projectId: string, @Param('userId', uuid) userId: string, @Body() body: ChangeProjectRoleDto): Promise<ProjectMemberResponse> {
    return toProjectMember(await this.organizations.changeProjectMemberRole(projectId, userId, body.role));
  }

  @Delete('members/:userId')
  @HttpCode(204)
  @Authorize('project-members.manage', PROJECT)
  @ApiOperation({ summary: 'Remove a project member (owners, project admins)' })
  @ApiNoContentResponse({ description: 'Removed.' })
  async remove(@Param('projectId') projectId: string, @Param('userId', uuid) userId: string): Promise<void> {
    await this.organizations.removeProjectMember(projectId, userId);
  }
}
