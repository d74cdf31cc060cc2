import type { ApiKey } from '../../domain/api-key';

export abstract class ApiKeyRepository {
  abstract insert(key: ApiKey): Promise<void>;
  abstract findById(id: string): Promise<ApiKey | null>;
  abstract findByPrefix(prefix: string): Promise<ApiKey | null>;
  abstract listByProject(projectId: string): Promise<ApiKey[]>;
  abstract revoke(id: string, at: Date): Promise<void>;
}
