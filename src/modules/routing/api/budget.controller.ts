import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../../platform/auth/authorize.decorator';
import { IntegrationRepository } from '../../integrations/application/ports/integration-repository.port';
import { IntegrationNotFound } from '../../integrations/domain/integration.errors';
import { BudgetKeeper } from '../application/budgets/budget-keeper';
import { BudgetStatusResponse } from './budget.dto';
import { BudgetUnavailable } from '../domain/routing.errors';

@ApiTags('integrations')
@Controller('api/integrations/:integrationId/budget')
export class BudgetController {
  constructor(
    private readonly integrations: IntegrationRepository,
    private readonly budgets: BudgetKeeper,
  ) {}

  @Get()
  @Authorize('integrations.read', { kind: 'integration', param: 'integrationId' })
  @ApiOperation({
    summary: "An integration's budget: spent, held and left",
    description:
      'Running spend of the integration against its `dailyBudgetUsd` (UTC day) and `monthlyBudgetUsd` (UTC calendar month), shared by every instance when `REDIS_URL` is set. Requests reserve their worst-case cost before they are sent and settle to their real cost when they end, so `reservedUsd` is what requests in flight may still spend. An integration without a budget answers with both windows null.',
  })
  @ApiOkResponse({ type: BudgetStatusResponse })
  async get(@Param('integrationId') integrationId: string): Promise<BudgetStatusResponse> {
    const integration = await this.integrations.findById(integrationId);
    if (!integration) throw new IntegrationNotFound();
    const status = await this.budgets.status(integration).catch(() => {
      throw new BudgetUnavailable();
    });
    const windows = [status.daily, status.monthly].filter((w) => w !== null);
    return {
      integrationId: integration.id,
      providerSlug: integration.providerSlug,
      exhausted: windows.some((w) => w.remainingUsd <= 0),
      daily: status.daily,
      monthly: status.monthly,
    };
  }
}
