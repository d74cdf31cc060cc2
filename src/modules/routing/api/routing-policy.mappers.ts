import type { VirtualModelView } from '../application/routing-policy.service';
import type { GatewayConfig } from '../domain/gateway-config';
import { DEFAULT_WEIGHT, RouteTarget } from '../domain/route-target';
import type { GatewayConfigResponse, RouteTargetDto, RouteTargetResponse, VirtualModelResponse } from './routing-policy.dto';

export function fromTargets(targets: readonly RouteTargetDto[]): RouteTarget[] {
  return targets.map((t) => ({ providerSlug: t.providerSlug, model: t.model, weight: t.weight ?? DEFAULT_WEIGHT }));
}

function toTargets(targets: readonly RouteTarget[]): RouteTargetResponse[] {
  return targets.map((t) => ({ providerSlug: t.providerSlug, model: t.model, weight: t.weight }));
}

export function toVirtualModel({ virtualModel: v, config }: VirtualModelView): VirtualModelResponse {
  return {
    id: v.id,
    projectId: v.projectId,
    name: v.name,
    description: v.description,
    targets: toTargets(v.targets),
    config,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export function toGatewayConfig(c: GatewayConfig): GatewayConfigResponse {
  return {
    id: c.id,
    projectId: c.projectId,
    name: c.name,
    strategy: c.strategy,
    targets: c.targets ? toTargets(c.targets) : null,
    retry: { attempts: c.retry.attempts, onStatus: [...c.retry.onStatus] },
    timeoutMs: c.timeoutMs,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
