import { ApiProperty } from '@nestjs/swagger';

export class BudgetWindowResponse {
  @ApiProperty({ example: 25, description: 'The limit set on the integration (USD).' })
  limitUsd!: number;

  @ApiProperty({ example: 18.412305, description: 'Settled spend of the window: the sum of the costs of the requests it served (USD).' })
  spentUsd!: number;

  @ApiProperty({ example: 0.0421, description: 'Held by requests in flight: their worst-case cost until they end (USD).' })
  reservedUsd!: number;

  @ApiProperty({ example: 6.545595, description: 'What is left for new requests: limit − spent − reserved, never below 0 (USD).' })
  remainingUsd!: number;

  @ApiProperty({ example: '2026-11-25T00:00:00.000Z', description: 'Start of the window (UTC day or UTC calendar month).' })
  startedAt!: string;

  @ApiProperty({ example: '2026-11-26T00:00:00.000Z', description: 'When the window turns over and its spend starts again from 0.' })
  resetsAt!: string;
}

export class BudgetStatusResponse {
  @ApiProperty({ example: '9f0c2a9e-4a8b-4f4e-9d51-0a1f0c7d3b21' })
  integrationId!: string;

  @ApiProperty({ example: 'openai-prod' })
  providerSlug!: string;

  @ApiProperty({
    example: true,
    description: 'Whether a window has nothing left: routing skips the integration until it resets. A request whose worst-case cost exceeds `remainingUsd` is not sent there either.',
  })
  exhausted!: boolean;

  @ApiProperty({ type: BudgetWindowResponse, nullable: true, description: 'The UTC day, when `dailyBudgetUsd` is set.' })
  daily!: BudgetWindowResponse | null;

  @ApiProperty({ type: BudgetWindowResponse, nullable: true, description: 'The UTC calendar month, when `monthlyBudgetUsd` is set.' })
  monthly!: BudgetWindowResponse | null;
}
