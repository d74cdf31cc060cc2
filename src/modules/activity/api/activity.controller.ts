import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../../platform/auth/authorize.decorator';
import { ActivityService } from '../application/activity.service';
import type { ActivityRecord, ActivitySummary } from '../domain/activity';
import { ActivityDetailResponse, ActivityPageResponse, ActivityResponse, AttemptResponse, ListActivityQuery } from './activity.dto';

const PROJECT = { kind: 'project', param: 'projectId' };
const ACTIVITY = { kind: 'activity', param: 'activityId' };

@ApiTags('activity')
@Controller('api')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Get('projects/:projectId/activity')
  @Authorize('activity.read', PROJECT)
  @ApiOperation({
    summary: "A project's requests, newest first",
    description: 'One record per proxied request, written within about a second. Filters combine; pages follow `nextCursor`.',
  })
  @ApiOkResponse({ type: ActivityPageResponse })
  async list(@Param('projectId') projectId: string, @Query() query: ListActivityQuery): Promise<ActivityPageResponse> {
    const page = await this.activity.list(
      projectId,
      {
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        model: query.model,
        providerSlug: query.providerSlug,
        source: query.source,
        status: query.status,
        apiKeyId: query.apiKeyId,
        requestId: query.requestId,
      },
      { limit: query.limit ?? 50, cursor: query.cursor },
    );
    return { items: page.items.map(toActivity), nextCursor: page.nextCursor };
  }

  @Get('activity/:activityId')
  @Authorize('activity.read', ACTIVITY)
  @ApiOperation({ summary: 'One request, with every candidate tried', description: 'Readable by the members of the request’s project and the organization owners.' })
  @ApiOkResponse({ type: ActivityDetailResponse })
  async get(@Param('activityId') activityId: string): Promise<ActivityDetailResponse> {
    const record = await this.activity.get(activityId);
    return {
      ...toActivity({ ...record, attemptCount: record.attempts.length }),
      organizationId: record.organizationId,
      attempts: record.attempts.map(toAttempt),
    };
  }
}

function toActivity(a: ActivitySummary): ActivityResponse {
  return {
    id: a.id,
    requestId: a.requestId,
    projectId: a.projectId,
    apiKeyId: a.apiKeyId,
    integrationId: a.integrationId,
    providerSlug: a.providerSlug,
    provider: a.provider,
    credentialSource: a.credentialSource,
    requestedModel: a.requestedModel,
    servedModel: a.servedModel,
    virtualModel: a.virtualModel,
    endpoint: a.endpoint,
    stream: a.stream,
    status: a.status,
    httpStatus: a.httpStatus,
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    cachedTokens: a.cachedTokens,
    cacheWriteTokens: a.cacheWriteTokens,
    costUsd: a.costUsd,
    latencyMs: a.latencyMs,
    ttfbMs: a.ttfbMs,
    attemptCount: a.attemptCount,
    createdAt: a.createdAt.toISOString(),
  };
}

function toAttempt(a: ActivityRecord['attempts'][number]): AttemptResponse {
  return {
    providerSlug: a.providerSlug,
    credentialSource: a.credentialSource,
    integrationId: a.integrationId,
    outcome: a.outcome,
    reason: a.reason ?? null,
    status: a.status ?? null,
    latencyMs: a.latencyMs ?? null,
  };
}
