import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Authenticated, CurrentActor, Public } from '../../../platform/auth/authorize.decorator';
import type { Actor } from '../../../platform/auth/actor';
import { IdentityService } from '../application/identity.service';
import { AcceptInvitationDto, AcceptInvitationResponse, LoginDto, MeResponse, SessionResponse, SignupDto, SignupResponse } from './auth.dto';
import { toOrganization, toUser } from './organization.mappers';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly identity: IdentityService) {}

  @Post('auth/signup')
  @Public()
  @ApiOperation({ summary: 'Create an account and a new organization', description: 'The new user becomes the owner of the new organization.' })
  @ApiCreatedResponse({ type: SignupResponse })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid (problem+json naming each field).' })
  @ApiConflictResponse({ description: 'An account with this email exists.' })
  async signup(@Body() body: SignupDto): Promise<SignupResponse> {
    const { session, user, organization } = await this.identity.signup(body);
    return { ...session, user: toUser(user), organization: toOrganization(organization) };
  }

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password.' })
  login(@Body() body: LoginDto): Promise<SessionResponse> {
    return this.identity.login(body);
  }

  @Post('auth/accept-invitation')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Accept an invitation to an organization',
    description: 'A new user sets name and password; an existing user confirms with their current password.',
  })
  @ApiOkResponse({ type: AcceptInvitationResponse })
  @ApiBadRequestResponse({ description: 'The token is unknown, used or expired, or a field is invalid.' })
  async acceptInvitation(@Body() body: AcceptInvitationDto): Promise<AcceptInvitationResponse> {
    const { session, organizationId } = await this.identity.acceptInvitation(body);
    return { ...session, organizationId };
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user, their organizations and project roles' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    const { user, organizations } = await this.identity.me(actor.userId);
    return {
      user: toUser(user),
      organizations: organizations.map(({ organization, role }) => ({ organization: toOrganization(organization), role })),
      projectRoles: Object.fromEntries([...actor.projectRoles].map(([projectId, { role }]) => [projectId, role])),
    };
  }
}
