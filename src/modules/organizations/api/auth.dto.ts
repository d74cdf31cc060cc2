import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress, IsName, IsNewPassword } from '../../../platform/validation/decorators';
import { OrganizationResponse } from './organization.dto';

export class SignupDto {
  @IsEmailAddress('Email of the new account; it becomes the owner of the new organization.')
  email!: string;

  @IsNewPassword()
  password!: string;

  @IsName('Your name.', 'Ada Lovelace')
  name!: string;

  @IsName('Name of the organization to create.', 'Analytical Engines Ltd')
  organizationName!: string;
}

export class LoginDto {
  @IsEmailAddress()
  email!: string;

  @IsString()
  @MaxLength(200)
  @ApiProperty({ description: 'Account password.', example: 'correct-horse-battery-staple', format: 'password' })
  password!: string;
}

export class AcceptInvitationDto {
  @IsString()
  @MaxLength(200)
  @ApiProperty({ description: 'The one-time token from the invitation.', example: 'kwinv_Jx3k9b2LqZ7wYt1mN4pR8sV6uD0aEfGh' })
  token!: string;

  @IsNewPassword()
  password!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'Your name (new accounts).', example: 'Grace Hopper' })
  name?: string;
}

export class SessionResponse {
  @ApiProperty({ description: 'Bearer token for the management API.', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires.', example: 3600 })
  expiresIn!: number;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;
}

export class SignupResponse extends SessionResponse {
  @ApiProperty({ type: UserResponse })
  user!: UserResponse;

  @ApiProperty({ type: OrganizationResponse })
  organization!: OrganizationResponse;
}

export class AcceptInvitationResponse extends SessionResponse {
  @ApiProperty({ format: 'uuid', description: 'The organization joined.', example: '2a7e4c1b-3d5f-4e6a-9b8c-7d6e5f4a3b2c' })
  organizationId!: string;
}

export class MembershipSummary {
  @ApiProperty({ type: OrganizationResponse })
  organization!: OrganizationResponse;

  @ApiProperty({ enum: ['owner', 'member'], example: 'owner' })
  role!: string;
}

export class MeResponse {
  @ApiProperty({ type: UserResponse })
  user!: UserResponse;

  @ApiProperty({ type: [MembershipSummary] })
  organizations!: MembershipSummary[];

  @ApiPropertyOptional({ description: 'Project roles, by project id.', example: { '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d': 'admin' } })
  projectRoles!: Record<string, string>;
}
