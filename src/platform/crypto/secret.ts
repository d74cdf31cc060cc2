const DEFAULT_MASK = '••••';

/**
 * A decrypted value that shows only its mask when serialized, stringified or inspected, so a
 * Secret that reaches a log line or a response body leaks nothing. Only `reveal()` gives the value.
 */
export class Secret<T> {
  readonly #value: T;
  readonly #mask: string;

  constructor(value: T, mask: string = DEFAULT_MASK) {
    this.#value = value;
    this.#mask = mask;
  }

  reveal(): T {
    return this.#value;
  }

  toJSON(): string {
    return this.#mask;
  }

  toString(): string {
    return this.#mask;
  }

  [Symbol.toPrimitive](): string {
    return this.#mask;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.#mask;
  }
}
