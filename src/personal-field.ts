/**
 * `PersonalField`: a personal value tagged with its field, subject and allowed purposes. The
 * value lives in a module-private `WeakMap`, never on the object, and is read only through the
 * guard.
 *
 * Every field is bound to its **issuer**: the policy object whose `wrap()` made it, or the vault
 * that handed it out. Only a guard of that same issuer turns it into its value; every other guard
 * (another vault's, a standalone one, one over a look-alike policy with the same id) refuses it.
 * A field handed out by a vault (`vault.field()`) holds no value at all: the vault reads,
 * decides and decrypts when its guard is asked, so a denied read never decrypts anything.
 *
 * @module
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * @internal what a field holds, out of reach of its users: an in-memory value (`policy.wrap`)
 * or, for a vault's handle, nothing but the reference the vault resolves on an allowed read.
 */
export interface Sealed {
  /** `'value'`: the value is here (policy.wrap). `'handle'`: the issuing vault holds it, encrypted. */
  readonly kind: 'value' | 'handle';
  readonly value: unknown;
  readonly field: string;
  readonly subject: string;
  readonly policyId: string;
  /** Who may decide reads of this field: compared by identity, never by name. */
  readonly issuer: object;
  /** Runtime narrowing of the field's purposes (entrusted data, §11); `undefined` = the field's own. */
  readonly restrictTo: ReadonlySet<string> | undefined;
}

const sealed = new WeakMap<object, Sealed>();
/** Set only while `sealPersonalField` constructs: `new PersonalField(...)` from outside throws. */
let constructing: Sealed | undefined;

declare const phantom: unique symbol;

/**
 * A personal value that cannot leak by accident. Every way Node turns an object into text
 * (`JSON.stringify`, `String()`, template literals, `util.inspect` with or without custom
 * inspection, `console.log`, `util.format`, spread, `Object.entries`, `structuredClone`,
 * `v8.serialize`, `postMessage`...) shows `[personal:<field>]` or an empty object.
 *
 * Type parameters: `Value` is the value's type, `Purposes` the purposes it may be read for
 * (checked at compile time by `guard.read`), `Field` the field id.
 *
 * Gotchas: this protects against accidents (a log line, an error report, a JSON response), not
 * against code that reads the value through the guard for an allowed purpose and then misuses
 * it, nor against a debugger or heap snapshot of the process.
 *
 * @example
 * ```ts
 * const email = policy.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
 * `${email}`;               // '[personal:email]'
 * JSON.stringify({ email }); // '{"email":"[personal:email]"}'
 * await guard.read(email, { purpose: 'contact', actor: 'staff:7' }); // 'hana@example.jp'
 * ```
 */
export class PersonalField<Value = unknown, Purposes extends string = string, Field extends string = string> {
  /** @internal type-level only: never present at run time. */
  declare readonly [phantom]: { readonly value: Value; readonly purposes: Purposes; readonly field: Field };

  /**
   * Not for users: fields come from `policy.wrap()` or from a vault (`vault.field()`).
   * Calling it directly throws, so no one can forge a field that a guard would accept.
   *
   * @throws TypeError always, when called from outside the library
   */
  constructor() {
    const seal = constructing;
    constructing = undefined;
    if (seal === undefined) throw new TypeError('PersonalField cannot be constructed directly: use policy.wrap() or vault.field()');
    sealed.set(this, seal);
    Object.freeze(this);
  }

  /** The field id, e.g. `email`. Not personal: safe to log. */
  get field(): Field {
    return (sealed.get(this)?.field ?? 'unknown') as Field;
  }

  /** The opaque id of the person the value belongs to. */
  get subject(): string {
    return sealed.get(this)?.subject ?? 'unknown';
  }

  /** `[personal:<field>]`. */
  toString(): string {
    return `[personal:${sealed.get(this)?.field ?? 'unknown'}]`;
  }

  /** `[personal:<field>]`. */
  toJSON(): string {
    return this.toString();
  }

  /** `[personal:<field>]`. */
  toLocaleString(): string {
    return this.toString();
  }

  /** `[personal:<field>]`: never the value, even for arithmetic or comparison. */
  valueOf(): string {
    return this.toString();
  }

  /** `[personal:<field>]` for every hint. */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /** What `util.inspect` and `console.log` show. */
  [INSPECT](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'PersonalField';
  }
}

Object.freeze(PersonalField.prototype);

/** @internal Create a field (used by `Policy.wrap` and by the vault). */
export function sealPersonalField(seal: Sealed): PersonalField {
  constructing = seal;
  try {
    return new PersonalField();
  } finally {
    constructing = undefined;
  }
}

/** @internal The sealed contents, for the guard and the vault only. Never exported from the package root. */
export function unsealPersonalField(field: unknown): Sealed | undefined {
  return typeof field === 'object' && field !== null ? sealed.get(field) : undefined;
}

/**
 * Is this a genuine `PersonalField` (not a copy, a proxy or a look-alike)?
 *
 * @example
 * ```ts
 * isPersonalField(policy.wrap('name', 'Hana', { subject: 's1' })); // true
 * isPersonalField({ ...field }); // false
 * ```
 */
export function isPersonalField(value: unknown): value is PersonalField {
  return typeof value === 'object' && value !== null && sealed.has(value);
}

/**
 * The value type of a `PersonalField`.
 *
 * @example
 * ```ts
 * type V = PersonalValue<typeof email>; // string
 * ```
 */
export type PersonalValue<F> = F extends PersonalField<infer V, string, string> ? V : never;

/**
 * The purposes a `PersonalField` may be read for.
 *
 * @example
 * ```ts
 * type P = PersonalPurposes<typeof email>; // 'contact' | 'inquiryResponse' | ...
 * ```
 */
export type PersonalPurposes<F> = F extends PersonalField<unknown, infer P, string> ? P : never;
