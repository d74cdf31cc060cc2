import { type FieldError, ValidationFailed } from '../../platform/errors/domain-error';
import { isNumber, isObject, isString, type JsonObject } from './json-guards';

/**
 * Collects field errors while walking a parsed request body (`unknown`), so that a caller's
 * malformed request is answered with every problem named instead of failing on the first
 * dereference. Optional checks accept `undefined` and `null` (JSON's "not set").
 */
export class BodyChecker {
  readonly errors: FieldError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ field: path, message });
  }

  object(value: unknown, path: string): value is JsonObject {
    if (isObject(value)) return true;
    this.fail(path, 'must be an object');
    return false;
  }

  optionalObject(value: unknown, path: string): boolean {
    return isUnset(value) || this.object(value, path);
  }

  array(value: unknown, path: string): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.fail(path, 'must be an array');
    return false;
  }

  string(value: unknown, path: string): value is string {
    if (isString(value)) return true;
    this.fail(path, 'must be a string');
    return false;
  }

  optionalString(value: unknown, path: string): void {
    if (!isUnset(value)) this.string(value, path);
  }

  optionalNumber(value: unknown, path: string): void {
    if (!isUnset(value) && !isNumber(value)) this.fail(path, 'must be a number');
  }

  optionalBoolean(value: unknown, path: string): void {
    if (!isUnset(value) && typeof value !== 'boolean') this.fail(path, 'must be a boolean');
  }

  optionalStringArray(value: unknown, path: string): void {
    if (isUnset(value) || !this.array(value, path)) return;
    value.forEach((item, i) => this.string(item, `${path}[${i}]`));
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): value is T {
    if (allowed.some((a) => a === value)) return true;
    this.fail(path, `must be one of ${allowed.join(', ')}`);
    return false;
  }

  /** Throws {@link ValidationFailed} naming every problem found. */
  throwIfInvalid(): void {
    if (this.errors.length > 0) throw new ValidationFailed(this.errors);
  }
}

export function isUnset(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}
