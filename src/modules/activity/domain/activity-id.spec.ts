import { activityId, firstActivityIdAt } from './activity-id';

// Lower-case hex of equal length compares like the bytes, as PostgreSQL compares uuids.
const before = (a: string, b: string): boolean => a < b;

describe('activity ids', () => {
  const t = Date.parse('2026-11-25T10:00:00.000Z');

  it('an id sorts below the first id of any later millisecond, and not below that of its own or an earlier one', () => {
    for (let i = 0; i < 200; i++) {
      const id = activityId(t);
      expect(before(id, firstActivityIdAt(t + 1))).toBe(true);
      expect(before(id, firstActivityIdAt(t))).toBe(false);
      expect(before(id, firstActivityIdAt(t - 1))).toBe(false);
    }
  });

  it('the first id of a millisecond is a UUID carrying that millisecond', () => {
    expect(firstActivityIdAt(t)).toBe(`${activityId(t).slice(0, 13)}-0000-0000-000000000000`);
    expect(firstActivityIdAt(t)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-0000-0000-000000000000$/);
  });

  it('before 1970 it is the nil UUID', () => {
    expect(firstActivityIdAt(-1_000)).toBe('00000000-0000-0000-0000-000000000000');
  });
});
