import { ValidationFailed } from '../../../platform/errors/domain-error';
import type { ActivityPosition } from '../domain/activity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque `cursor` of the listing: the (createdAt, id) of the last row of the previous page. */
export function encodeCursor(position: ActivityPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), i: position.id }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ActivityPosition {
  const parsed = parse(cursor);
  if (!parsed) throw new ValidationFailed([{ field: 'cursor', message: 'is not a cursor returned by this listing' }]);
  return parsed;
}

function parse(cursor: string): ActivityPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { t, i } = value as { t?: unknown; i?: unknown };
    if (typeof t !== 'string' || typeof i !== 'string' || !UUID.test(i)) return null;
    const createdAt = new Date(t);
    return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: i.toLowerCase() };
  } catch {
    return null;
  }
}
