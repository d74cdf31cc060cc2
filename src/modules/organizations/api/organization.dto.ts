import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ORG_ROLES, OrgRole, PROJECT_ROLES, ProjectRole } from '../domain/organization';
import { IsEmailAddress, IsId, IsName, IsOneOf, IsOptionalText } from '../../../platform/validation/decorators';

export class OrganizationResponse {
  @ApiProperty({ format: 'uuid', example: '2a7e4c1b-3d5f-4e6a-9b8c-7d6e5f4a3b2c' })
  id!: string;

  @ApiProperty({ example: 'Analytical Engines Ltd' })
  name!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;
}

export class UpdateOrganizationDto {
  @IsName('New name of the organization.', 'Analytical Engines plc')
  name!: string;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })
  userId!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ example: 'Grace Hopper' })
  name!: string;

  @ApiProperty({ enum: ORG_ROLES, example: 'member' })
  role!: OrgRole;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  joinedAt!: string;
}

export class InviteMemberDto {
  @IsEmailAddress('Email of the person to invite.', 'grace@example.com')
  email!: string;

  @IsOneOf(ORG_ROLES, 'Organization role after accepting.', 'member')
  role!: OrgRole;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid', example: '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a' })
  id!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ enum: ORG_ROLES, example: 'member' })
  role!: OrgRole;

  @ApiProperty({ example: '2026-12-02T10:00:00.000Z' })
  expiresAt!: string;
}

export class CreatedInvitationResponse extends InvitationResponse {
  @ApiProperty({
    description: 'One-time token, shown only now. The invited person accepts with POST /api/auth/accept-invitation.',
    example: 'kwinv_Jx3k9b2LqZ7wYt1mN4pR8sV6uD0aEfGh',
  })
  token!: string;
}

export class ChangeOrgRoleDto {
  @IsOneOf(ORG_ROLES, 'New organization role.', 'owner')
  role!: OrgRole;
}

export class ProjectResponse {
  @ApiProperty({ format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '2a7e4c1b-3d5f-4e6a-9b8c-7d6e5f4a3b2c' })
  organizationId!: string;

  @ApiProperty({ example: 'checkout-assistant' })
  name!: string;

  @ApiProperty({ nullable: true, type: String, example: 'LLM features of the checkout flow' })
  description!: string | null;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;
}

export class CreateProjectDto {
  @IsName('Project name, unique in the organization.', 'checkout-assistant')
  name!: string;

  @IsOptionalText('What the project is for.', 'LLM features of the checkout flow')
  description?: string;
}

export class UpdateProjectDto {
  @IsOptional()
  @IsName('New project name.', 'checkout-assistant-v2')
  name?: string;

  @IsOptionalText('New description.', 'LLM features of checkout and returns')
  description?: string;
}

export class ProjectMemberResponse {
  @ApiProperty({ format: 'uuid', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })
  userId!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ example: 'Grace Hopper' })
  name!: string;

  @ApiProperty({ enum: PROJECT_ROLES, example: 'developer' })
  role!: ProjectRole;
}

export class AddProjectMemberDto {
  @IsId('A member of the project\'s organization.')
  userId!: string;

  @IsOneOf(PROJECT_ROLES, 'Role in the project.', 'developer')
  role!: ProjectRole;
}

export class ChangeProjectRoleDto {
  @IsOneOf(PROJECT_ROLES, 'New project role.', 'admin')
  role!: ProjectRole;
}
