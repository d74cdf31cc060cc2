import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../../platform/auth/authorize.decorator';
import { UsageRequest, UsageService } from '../application/usage.service';
import type { UsageMetrics, UsageReport, UsageRow } from '../domain/usage';
import { UsageMetricsResponse, UsageQuery, UsageResponse, UsageRowResponse } from './usage.dto';

const ORG = { kind: 'organization', param: 'orgId' };
const PROJECT = { kind: 'project', param: 'projectId' };

const SPEND_NOTE =
  'BYOK spend is an estimate from catalog or custom pricing: the provider bills it to your own account, and its invoice is authoritative. ' +
  'Platform spend is what the gateway operator’s credential was used for. The range is `from` (inclusive) to `to` (exclusive), 30 days up to now by default, at most 366 days.';
const BAD_REQUEST = 'An invalid `from`, `to` or `groupBy`, `from` not before `to`, a range over 366 days, or an unknown query parameter (problem+json naming the field).';

@ApiTags('usage')
@Controller('api')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('organizations/:orgId/usage')
  @Authorize('usage.read-org', ORG)
  @ApiOperation({ summary: 'Usage and spend of the organization, BYOK and platform', description: `Organization owners only. ${SPEND_NOTE}` })
  @ApiOkResponse({ type: UsageResponse })
  @ApiBadRequestResponse({ description: BAD_REQUEST })
  async ofOrganization(@Param('orgId') orgId: string, @Query() query: UsageQuery): Promise<UsageResponse> {
    return toResponse(await this.usage.ofOrganization(orgId, toRequest(query)));
  }

  @Get('projects/:projectId/usage')
  @Authorize('activity.read', PROJECT)
  @ApiOperation({ summary: 'Usage and spend of a project, BYOK and platform', description: `Readable by the project’s members and the organization owners. ${SPEND_NOTE}` })
  @ApiOkResponse({ type: UsageResponse })
  @ApiBadRequestResponse({ description: BAD_REQUEST })
  async ofProject(@Param('projectId') projectId: string, @Query() query: UsageQuery): Promise<UsageResponse> {
    return toResponse(await this.usage.ofProject(projectId, toRequest(query)));
  }
}

function toRequest(query: UsageQuery): UsageRequest {
  return {
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
    groupBy: query.groupBy,
  };
}

function toResponse(report: UsageReport): UsageResponse {
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    groupBy: report.groupBy,
    totals: toMetrics(report.totals),
    rows: report.rows.map(toRow),
  };
}

function toRow(row: UsageRow): UsageRowResponse {
  return { ...row.key, source: row.source, ...toMetrics(row.metrics) };
}

function toMetrics(m: UsageMetrics): UsageMetricsResponse {
  return {
    requests: m.requests,
    byokRequests: m.byokRequests,
    platformRequests: m.platformRequests,
    errorRequests: m.errorRequests,
    cancelledRequests: m.cancelledRequests,
    errorRate: m.errorRate,
    byokSpendUsd: m.byokSpendUsd,
    platformSpendUsd: m.platformSpendUsd,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    cachedTokens: m.cachedTokens,
    cacheWriteTokens: m.cacheWriteTokens,
  };
}
