import { randomUUID } from 'node:crypto';
import type { ActivityEntry } from '../../routing/application/ports/activity-sink.port';

/** A successful BYOK chat completion, as the proxy would hand it over; override what the test is about. */
export function anActivityEntry(overrides: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    requestId: randomUUID(),
    organizationId: '0b6f3c7e-2a41-4c1b-9f0e-6d5a4b3c2d1e',
    projectId: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    apiKeyId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    integrationId: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098',
    providerSlug: 'openai-main',
    provider: 'openai',
    credentialSource: 'byok',
    requestedModel: 'openai/gpt-4o-mini',
    servedModel: 'gpt-4o-mini-2024-07-18',
    virtualModel: null,
    endpoint: '/v1/chat/completions',
    stream: false,
    status: 'success',
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    attempts: [{ providerSlug: 'openai-main', credentialSource: 'byok', integrationId: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098', outcome: 'ok', status: 200, latencyMs: 412 }],
    inputTokens: 12,
    outputTokens: 34,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.0000222,
    latencyMs: 420,
    ttfbMs: null,
    createdAt: new Date(),
    ...overrides,
  };
}
