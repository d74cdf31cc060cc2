import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../../../platform/errors/domain-error';
import type { ActivityFilter, ActivityRecord, ActivitySummary } from '../domain/activity';
import { ActivityNotFound } from '../domain/activity.errors';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { ActivityStore } from './ports/activity-store.port';

export type ActivityPage = { items: ActivitySummary[]; nextCursor: string | null };

/** Reading the activity log; authorization is done by the policy guard on the project or the record. */
@Injectable()
export class ActivityService {
  constructor(private readonly store: ActivityStore) {}

  /** One page of a project's requests, newest first; `cursor` is the previous page's `nextCursor`. */
  async list(projectId: string, filter: ActivityFilter, page: { limit: number; cursor?: string }): Promise<ActivityPage> {
    if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
      throw new ValidationFailed([{ field: 'to', message: 'must be later than from' }]);
    }
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    // One row more than asked tells whether there is a next page, so the last page has no cursor.
    const rows = await this.store.list({ ...filter, projectId, after, limit: page.limit + 1 });
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
  }

  async get(id: string): Promise<ActivityRecord> {
    const record = await this.store.findById(id);
    if (!record) throw new ActivityNotFound();
    return record;
  }
}
