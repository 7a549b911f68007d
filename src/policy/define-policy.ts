/**
 * `definePolicy`: validate a policy spec and turn it into an executable, typed `Policy`.
 *
 * @module
 */
import type { z } from 'zod';
import { InvalidArgumentError, InvalidPersonalValueError, PolicyDefinitionError, UnknownFieldError, UnknownPurposeError } from '../errors.js';
import { LANGUAGES, type Lang } from '../i18n.js';
import { LEGAL_EXCEPTION_IDS, type LegalException } from '../legal.js';
import { PersonalField, sealPersonalField } from '../personal-field.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { safeId } from '../util/safe-id.js';
import { describeZodIssues } from './describe-issues.js';
import type { CollectionPointSpec, FieldSpec, PolicySpec, PurposeSpec, VendorSpec } from './spec.js';
import type { AllowedPurposes, CollectionPointsSpec, FieldInput, FieldsSpec, FieldValue, PurposesSpec, VendorsSpec } from './types.js';
import { validatePolicySpec } from './validate-spec.js';

/**
 * Options of `policy.wrap`: whose value it is and, optionally, a narrower set of purposes.
 *
 * @example
 * ```ts
 * import { ji4pePolicy } from './policy.js';
 *
 * // A participant list entrusted by a client: usable only for the entrusted operation.
 * const email = ji4pePolicy.wrap('email', 'hana@example.jp', { subject: 'sub_9f2c', restrictTo: ['entrustedOperation'] });
 * ```
 */
export interface WrapOptions {
  /** Opaque id of the person the value belongs to. */
  readonly subject: string;
  /**
   * Narrow the purposes this value may be used for below the field's own, e.g. data received
   * under entrustment (§11) carries only the entrusted operation. Purposes outside the field's
   * allowed set are ignored.
   */
  readonly restrictTo?: readonly string[];
}

/**
 * An executable privacy policy. Created by {@link definePolicy}; immutable.
 *
 * @example
 * ```ts
 * const policy = definePolicy(spec);
 * policy.isAllowed('email', 'contact'); // true
 * const email = policy.wrap('email', 'hana@example.jp', { subject: 's1' });
 * ```
 */
export interface Policy<
  P extends PurposesSpec = PurposesSpec,
  F extends FieldsSpec = FieldsSpec,
  C extends CollectionPointsSpec = CollectionPointsSpec,
  V extends VendorsSpec = VendorsSpec,
> {
  readonly id: string;
  readonly version: string;
  /** Effective date, `YYYY-MM-DD`. */
  readonly effective: string;
  readonly languages: readonly Lang[];
  /** The validated spec, frozen (zod schemas are kept as given). */
  readonly spec: PolicySpec<P, F, C, V>;
  readonly purposeIds: readonly (keyof P & string)[];
  readonly fieldIds: readonly (keyof F & string)[];
  readonly collectionPointIds: readonly (keyof C & string)[];
  readonly vendorIds: readonly (keyof V & string)[];
  /** Legal exceptions the policy announces (APPI Art. 18(3)). */
  readonly exceptions: readonly LegalException[];

  /** The spec of one purpose. @throws UnknownPurposeError */
  purpose(id: string): PurposeSpec<keyof P & string>;
  /** The spec of one field. @throws UnknownFieldError */
  field(id: string): FieldSpec<keyof P & string>;
  /** The spec of one collection point. @throws InvalidArgumentError */
  collectionPoint(id: string): CollectionPointSpec<keyof F & string, keyof P & string>;
  /** The spec of one vendor. @throws InvalidArgumentError */
  vendor(id: string): VendorSpec<keyof F & string, keyof P & string>;
  hasPurpose(id: string): id is keyof P & string;
  hasField(id: string): id is keyof F & string;
  /** Purpose then its ancestors: `['receipts', 'billing']`. */
  lineage(purpose: string): readonly string[];
  /** Direct children of a purpose. */
  children(purpose: string): readonly string[];
  /** Every purpose the field may be used for, incl. children of its listed purposes. */
  allowedPurposes<K extends keyof F & string>(field: K): readonly AllowedPurposes<P, F, K>[];
  /** Whether `field` may be used for `purpose` (directly or through a parent). */
  isAllowed(field: string, purpose: string): boolean;
  /** Parsed retention of a purpose. */
  retention(purpose: string): Duration;

  /**
   * Validate `value` with the field's schema and wrap it.
   *
   * @throws UnknownFieldError when the policy has no such field
   * @throws InvalidPersonalValueError when the value fails the schema (the error names the rule, never the value)
   * @throws InvalidArgumentError when `options.subject` is missing
   */
  wrap<K extends keyof F & string>(field: K, value: FieldInput<F, K>, options: WrapOptions): PersonalField<FieldValue<F, K>, AllowedPurposes<P, F, K>, K>;
}

/**
 * Policy with any spec: what functions that accept every policy take (a policy's own type is
 * narrower, so `Policy` with its defaults would not accept it).
 *
 * @example
 * ```ts
 * import type { AnyPolicy } from 'purpose-bound';
 *
 * function consentPurposes(policy: AnyPolicy): string[] {
 *   return policy.purposeIds.filter((id) => policy.purpose(id).basis === 'consent');
 * }
 * ```
 */
export type AnyPolicy = Policy<any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The purpose ids of a policy type.
 *
 * @example
 * ```ts
 * type Purpose = PurposeIdOf<typeof policy>; // 'contact' | 'billing' | ...
 * ```
 */
export type PurposeIdOf<Pol> = Pol extends { readonly purposeIds: readonly (infer P)[] } ? P & string : never;
/**
 * The field ids of a policy type.
 *
 * @example
 * ```ts
 * type Field = FieldIdOf<typeof policy>; // 'email' | 'name' | ...
 * ```
 */
export type FieldIdOf<Pol> = Pol extends { readonly fieldIds: readonly (infer F)[] } ? F & string : never;
/**
 * The field specs of a policy type, keyed by field id: what {@link FieldInput} and
 * {@link FieldValue} take to type one field's values.
 *
 * @example
 * ```ts
 * import type { FieldIdOf, FieldInput, FieldsOf } from 'purpose-bound';
 *
 * // A form's values, typed by the policy: each field accepts what its zod schema accepts.
 * type Form = { [K in FieldIdOf<typeof policy>]?: FieldInput<FieldsOf<typeof policy>, K> };
 * ```
 */
export type FieldsOf<Pol> = Pol extends { readonly spec: { readonly fields: infer F } } ? (F extends FieldsSpec ? F : never) : never;

const SUBJECT_ID = /^[\x21-\x7e]{1,200}$/;

/** @internal checks a subject id: 1–200 printable ASCII characters, no spaces. */
export function assertSubjectId(subject: unknown, argument: string): asserts subject is string {
  if (typeof subject !== 'string' || !SUBJECT_ID.test(subject)) {
    throw new InvalidArgumentError(argument, 'must be a subject id: 1-200 printable ASCII characters without spaces');
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if ('_zod' in (value as object)) return value; // zod schemas stay as given
  for (const v of Object.values(value as object)) deepFreeze(v);
  return Object.freeze(value);
}

function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) {
    // An index loop, not value.map(): map() consults value.constructor[Symbol.species], which a
    // hostile own `constructor` property on the array could point anywhere.
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(copyPlain(value[i] as unknown));
    return out as T;
  }
  if (typeof value !== 'object' || value === null || '_zod' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyPlain(v);
  return out as T;
}

/**
 * Validate a policy spec and return a typed, immutable `Policy`.
 *
 * Every problem is reported at once in one `PolicyDefinitionError`, each with its path:
 * unknown purposes or fields referenced, cycles in parent purposes, ids differing only in case,
 * a missing English or Japanese text, a bad ISO 8601 retention, a contractor without a contract...
 *
 * @param spec - the policy as code (see {@link PolicySpec})
 * @throws PolicyDefinitionError listing every problem
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { definePolicy } from 'purpose-bound';
 *
 * const policy = definePolicy({
 *   id: 'shop', version: '1', effective: '2026-01-01',
 *   controller: { name: { en: 'Shop', ja: 'ショップ' }, contact: { email: 'privacy@shop.example' } },
 *   purposes: {
 *     contact: { title: { en: 'Contact', ja: '連絡' }, description: { en: 'To contact you.', ja: 'ご連絡のため。' }, basis: 'contract', retention: 'P1Y' },
 *   },
 *   fields: {
 *     email: { title: { en: 'E-mail', ja: 'メールアドレス' }, schema: z.email(), category: 'contact', purposes: ['contact'] },
 *   },
 *   collectionPoints: {},
 * });
 * ```
 */
export function definePolicy<
  const P extends Record<string, PurposeSpec<Extract<keyof P, string>>>,
  const F extends Record<string, FieldSpec<Extract<keyof P, string>>>,
  const C extends Record<string, CollectionPointSpec<Extract<keyof F, string>, Extract<keyof P, string>>> = {},
  const V extends Record<string, VendorSpec<Extract<keyof F, string>, Extract<keyof P, string>>> = {},
>(spec: PolicySpec<P, F, C, V>): Policy<P, F, C, V> {
  const issues = validatePolicySpec(spec);
  if (issues.length > 0) throw new PolicyDefinitionError(issues);
  return new PolicyImpl(deepFreeze(copyPlain(spec))) as unknown as Policy<P, F, C, V>;
}

class PolicyImpl implements Policy {
  readonly id: string;
  readonly version: string;
  readonly effective: string;
  readonly languages: readonly Lang[];
  readonly spec: PolicySpec;
  readonly purposeIds: readonly string[];
  readonly fieldIds: readonly string[];
  readonly collectionPointIds: readonly string[];
  readonly vendorIds: readonly string[];
  readonly exceptions: readonly LegalException[];
  readonly #purposes: Map<string, PurposeSpec>;
  readonly #fields: Map<string, FieldSpec>;
  readonly #lineage = new Map<string, readonly string[]>();
  readonly #children = new Map<string, string[]>();
  readonly #allowed = new Map<string, ReadonlySet<string>>();
  readonly #retention = new Map<string, Duration>();

  constructor(spec: PolicySpec) {
    this.spec = spec;
    this.id = spec.id;
    this.version = spec.version;
    this.effective = spec.effective;
    this.languages = Object.freeze([...(spec.languages ?? LANGUAGES)]);
    this.#purposes = new Map(Object.entries(spec.purposes));
    this.#fields = new Map(Object.entries(spec.fields));
    this.purposeIds = Object.freeze([...this.#purposes.keys()]);
    this.fieldIds = Object.freeze([...this.#fields.keys()]);
    this.collectionPointIds = Object.freeze(Object.keys(spec.collectionPoints));
    this.vendorIds = Object.freeze(Object.keys(spec.vendors ?? {}));
    this.exceptions = Object.freeze([...(spec.exceptions ?? LEGAL_EXCEPTION_IDS)]);

    for (const [id, p] of this.#purposes) {
      this.#retention.set(id, parseDuration(p.retention) as Duration);
      if (p.parent !== undefined) {
        const list = this.#children.get(p.parent) ?? [];
        list.push(id);
        this.#children.set(p.parent, list);
      }
    }
    // A field is allowed for its purposes and all their descendants: one walk down the child
    // links per field, linear in the number of purposes (the parent chains may be deep).
    for (const [fid, f] of this.#fields) {
      const allowed = new Set<string>();
      const stack = [...f.purposes];
      while (stack.length > 0) {
        const pid = stack.pop() as string;
        if (allowed.has(pid)) continue;
        allowed.add(pid);
        for (const child of this.#children.get(pid) ?? []) stack.push(child);
      }
      this.#allowed.set(fid, allowed);
    }
    Object.freeze(this);
  }

  purpose(id: string): PurposeSpec {
    const p = typeof id === 'string' ? this.#purposes.get(id) : undefined;
    if (!p) throw new UnknownPurposeError(id, this.id);
    return p;
  }

  field(id: string): FieldSpec {
    const f = typeof id === 'string' ? this.#fields.get(id) : undefined;
    if (!f) throw new UnknownFieldError(id, this.id);
    return f;
  }

  collectionPoint(id: string): CollectionPointSpec {
    const cp = typeof id === 'string' && Object.hasOwn(this.spec.collectionPoints, id) ? this.spec.collectionPoints[id] : undefined;
    if (!cp) throw new InvalidArgumentError('collectionPoint', `must be a collection point of policy "${this.id}"; ${safeId(id)} is not`);
    return cp;
  }

  vendor(id: string): VendorSpec {
    const vendors = this.spec.vendors ?? {};
    const v = typeof id === 'string' && Object.hasOwn(vendors, id) ? vendors[id] : undefined;
    if (!v) throw new InvalidArgumentError('vendor', `must be a vendor of policy "${this.id}"; ${safeId(id)} is not`);
    return v;
  }

  hasPurpose(id: string): id is string {
    return this.#purposes.has(id);
  }

  hasField(id: string): id is string {
    return this.#fields.has(id);
  }

  lineage(purpose: string): readonly string[] {
    // Computed on first use and kept: building every chain up front would cost the square of
    // the depth of a deep parent chain.
    const known = this.#lineage.get(purpose);
    if (known !== undefined) return known;
    if (typeof purpose !== 'string' || !this.#purposes.has(purpose)) throw new UnknownPurposeError(purpose, this.id);
    const chain: string[] = [];
    for (let cur: string | undefined = purpose; cur !== undefined; cur = this.#purposes.get(cur)?.parent) chain.push(cur);
    const frozen = Object.freeze(chain);
    this.#lineage.set(purpose, frozen);
    return frozen;
  }

  children(purpose: string): readonly string[] {
    this.purpose(purpose);
    return Object.freeze([...(this.#children.get(purpose) ?? [])]);
  }

  allowedPurposes(field: string): readonly never[] {
    this.field(field);
    return Object.freeze([...(this.#allowed.get(field) ?? [])]) as readonly never[];
  }

  isAllowed(field: string, purpose: string): boolean {
    return this.#allowed.get(field)?.has(purpose) ?? false;
  }

  /** @internal fast path for the guard. */
  allowedSet(field: string): ReadonlySet<string> | undefined {
    return this.#allowed.get(field);
  }

  retention(purpose: string): Duration {
    const d = this.#retention.get(purpose);
    if (!d) throw new UnknownPurposeError(purpose, this.id);
    return d;
  }

  wrap(field: string, value: unknown, options: WrapOptions): PersonalField<never, never, never> {
    const spec = this.field(field);
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with a subject');
    assertSubjectId(options.subject, 'options.subject');
    let restrictTo: ReadonlySet<string> | undefined;
    if (options.restrictTo !== undefined) {
      if (!Array.isArray(options.restrictTo)) throw new InvalidArgumentError('options.restrictTo', 'must be an array of purpose ids');
      for (const p of options.restrictTo) if (!this.#purposes.has(p)) throw new UnknownPurposeError(p as string, this.id);
      restrictTo = new Set(options.restrictTo);
    }
    const parsed = parseValue(spec.schema, field, value);
    // Issued by this very policy object: only guards created over it (createGuard({ policy }))
    // accept the field; a look-alike policy with the same id does not.
    return sealPersonalField({ kind: 'value', value: parsed, field, subject: options.subject, policyId: this.id, issuer: this, restrictTo }) as PersonalField<never, never, never>;
  }
}

/** @internal validate a value with a field schema, throwing an error that never holds the value. */
export function parseValue(schema: z.ZodType, field: string, value: unknown): unknown {
  let result: ReturnType<z.ZodType['safeParse']>;
  try {
    result = schema.safeParse(value);
  } catch {
    // e.g. an async refinement: report the rule, never the thrown error (it may hold the value).
    throw new InvalidPersonalValueError(field, [{ path: '', rule: 'schema_error(the schema threw or is async)' }]);
  }
  if (!result.success) throw new InvalidPersonalValueError(field, describeZodIssues(schema, result.error.issues));
  return result.data;
}

/**
 * Is this a policy made by {@link definePolicy}?
 *
 * @example
 * ```ts
 * isPolicy(definePolicy(spec)); // true
 * isPolicy(spec); // false: a spec is not a policy
 * ```
 */
export function isPolicy(value: unknown): value is AnyPolicy {
  return value instanceof PolicyImpl;
}

/** @internal The guard's fast path: a policy's precomputed allowed set. */
export function allowedSetOf(policy: AnyPolicy, field: string): ReadonlySet<string> | undefined {
  return (policy as unknown as PolicyImpl).allowedSet(field);
}
