import { ValidationFailed } from '../../../platform/errors/domain-error';
import type { ActivityQuery, ActivityRecord, ActivitySummary } from '../domain/activity';
import { ActivityNotFound } from '../domain/activity.errors';
import { anActivityEntry } from '../testing/an-activity-entry';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { ActivityService } from './activity.service';
import { ActivityStore } from './ports/activity-store.port';

/** Returns `rows` newest first after the cursor, like the SQL does, and remembers the queries. */
class FakeStore implements ActivityStore {
  readonly queries: ActivityQuery[] = [];
  constructor(private readonly rows: ActivitySummary[] = []) {}
  async insert(): Promise<void> {}
  async list(query: ActivityQuery): Promise<ActivitySummary[]> {
    this.queries.push(query);
    const after = query.after;
    return this.rows
      .filter((r) => !after || r.createdAt.getTime() < after.createdAt.getTime() || (r.createdAt.getTime() === after.createdAt.getTime() && r.id < after.id))
      .slice(0, query.limit);
  }
  async findById(id: string): Promise<ActivityRecord | null> {
    return id === 'known' ? { ...anActivityEntry(), id } : null;
  }
}

function summaries(count: number): ActivitySummary[] {
  return Array.from({ length: count }, (_, i) => {
    const { attempts: _attempts, ...entry } = anActivityEntry({ requestId: `r${i}`, createdAt: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, count - i)) });
    return { ...entry, id: `00000000-0000-7000-8000-${String(count - i).padStart(12, '0')}`, attemptCount: 1 };
  });
}

describe('ActivityService', () => {
  const PROJECT = '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';

  it('asks for one row more than the page, to know whether there is a next page', async () => {
    const store = new FakeStore(summaries(3));
    const page = await new ActivityService(store).list(PROJECT, {}, { limit: 3 });
    expect(store.queries[0].limit).toBe(4);
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toBeNull();
  });

  it('the next cursor continues after the last row of the page', async () => {
    const rows = summaries(5);
    const service = new ActivityService(new FakeStore(rows));
    const first = await service.list(PROJECT, {}, { limit: 2 });
    expect(first.items.map((r) => r.requestId)).toEqual(['r0', 'r1']);
    const second = await service.list(PROJECT, {}, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.requestId)).toEqual(['r2', 'r3']);
    const third = await service.list(PROJECT, {}, { limit: 2, cursor: second.nextCursor! });
    expect(third).toEqual({ items: [expect.objectContaining({ requestId: 'r4' })], nextCursor: null });
  });

  it('a range that ends before it starts is refused, naming `to`', async () => {
    const from = new Date('2026-11-25T10:00:00Z');
    await expect(new ActivityService(new FakeStore()).list(PROJECT, { from, to: from }, { limit: 10 })).rejects.toMatchObject({
      constructor: ValidationFailed,
      errors: [{ field: 'to', message: 'must be later than from' }],
    });
  });

  it('an unknown record is not found', async () => {
    await expect(new ActivityService(new FakeStore()).get('missing')).rejects.toBeInstanceOf(ActivityNotFound);
  });
});

describe('activity cursor', () => {
  it('round-trips the position of a row', () => {
    const position = { createdAt: new Date('2026-11-25T10:00:00.123Z'), id: '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'not-base64-json', Buffer.from('{"t":"yesterday","i":"0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"}').toString('base64url'), Buffer.from('{"t":"2026-11-25T10:00:00Z","i":"1 or 1=1"}').toString('base64url'), Buffer.from('[]').toString('base64url')])(
    'refuses %j, naming the cursor field',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(ValidationFailed);
    },
  );
});
