/** What the activity log says an integration spent (USD) since the start of a day and of a month. */
export abstract class SpendHistory {
  abstract spentSince(integrationId: string, dayStart: Date, monthStart: Date): Promise<{ dailyUsd: number; monthlyUsd: number }>;
}
