import type { AuditEvent, Integration } from '../domain/integration';
import type { AuditEventResponse, IntegrationResponse } from './integration.dto';

export function toIntegration(i: Integration): IntegrationResponse {
  return {
    id: i.id,
    organizationId: i.organizationId,
    name: i.name,
    providerSlug: i.providerSlug,
    provider: i.provider,
    description: i.description,
    projectScope: i.projectScope,
    status: i.status,
    credential: { mask: i.credentialSummary.mask, fingerprint: i.credentialSummary.fingerprint, details: i.credentialSummary.details },
    customHost: i.options.customHost,
    apiFormat: i.options.apiFormat,
    customAuthHeaders: i.customAuthHeaderNames,
    weight: i.options.weight,
    rpmLimit: i.options.rpmLimit,
    alwaysUse: i.options.alwaysUse,
    dailyBudgetUsd: i.options.dailyBudgetUsd,
    monthlyBudgetUsd: i.options.monthlyBudgetUsd,
    region: i.options.region,
    autoEnable: i.provisioning.autoEnable,
    health: { ...i.health },
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export function toAuditEvent(e: AuditEvent): AuditEventResponse {
  return {
    id: e.id,
    action: e.action,
    actorUserId: e.actorUserId,
    integrationId: e.integrationId,
    integrationSlug: e.integrationSlug,
    details: e.details,
    ip: e.ip,
    createdAt: e.createdAt.toISOString(),
  };
}
