import { Injectable } from '@nestjs/common';
import type { ResourceScope } from './policy';

export type ScopeResolver = (id: string) => Promise<ResourceScope | null>;

/**
 * Modules register how to find the organization (and projects) a resource belongs to, so the
 * policy guard can authorize any route from its path parameter without knowing the modules.
 */
@Injectable()
export class ScopeResolvers {
  private readonly resolvers = new Map<string, { resolve: ScopeResolver; label: string }>();

  register(kind: string, label: string, resolve: ScopeResolver): void {
    this.resolvers.set(kind, { resolve, label });
  }

  async resolve(kind: string, id: string): Promise<{ scope: ResourceScope | null; label: string }> {
    const entry = this.resolvers.get(kind);
    if (!entry) throw new Error(`no scope resolver registered for "${kind}"`);
    if (!UUID.test(id)) return { scope: null, label: entry.label };
    return { scope: await entry.resolve(id), label: entry.label };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
