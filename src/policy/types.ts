/**
 * Type-level helpers: derive field ids, value types and allowed purposes from a policy, so a
 * purpose the field does not allow is a compile error.
 *
 * @module
 */
import type { z } from 'zod';
import type { CollectionPointSpec, FieldSpec, PurposeSpec, VendorSpec } from './spec.js';

/**
 * Record of purposes as written in a spec, keyed by id. Useful to type a part of a spec kept in
 * its own module (with `satisfies`, so the literal ids survive for `definePolicy`).
 *
 * @example
 * ```ts
 * import type { PurposesSpec } from 'purpose-bound';
 *
 * const purposes = {
 *   contact: { title: { en: 'Contact', ja: '連絡' }, description: { en: 'To contact you.', ja: 'ご連絡のため。' }, basis: 'contract', retention: 'P1Y' },
 * } satisfies PurposesSpec;
 * ```
 */
export type PurposesSpec = Record<string, PurposeSpec>;
/**
 * Record of fields as written in a spec, keyed by id. Useful to type a part of a spec kept in
 * its own module (with `satisfies`, so the literal ids survive for `definePolicy`).
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { FieldsSpec } from 'purpose-bound';
 *
 * const fields = {
 *   email: { title: { en: 'E-mail', ja: 'メールアドレス' }, schema: z.email(), category: 'contact', purposes: ['contact'] },
 * } satisfies FieldsSpec;
 * ```
 */
export type FieldsSpec = Record<string, FieldSpec>;
/**
 * Record of collection points as written in a spec, keyed by id. Useful to type a part of a spec kept in
 * its own module (with `satisfies`, so the literal ids survive for `definePolicy`).
 *
 * @example
 * ```ts
 * import type { CollectionPointsSpec } from 'purpose-bound';
 *
 * const collectionPoints = {
 *   inquiry: { title: { en: 'Inquiry form', ja: 'お問い合わせフォーム' }, fields: ['email'], purposes: ['contact'] },
 * } satisfies CollectionPointsSpec;
 * ```
 */
export type CollectionPointsSpec = Record<string, CollectionPointSpec>;
/**
 * Record of vendors as written in a spec, keyed by id. Useful to type a part of a spec kept in
 * its own module (with `satisfies`, so the literal ids survive for `definePolicy`).
 *
 * @example
 * ```ts
 * import type { VendorsSpec } from 'purpose-bound';
 *
 * const vendors = {
 *   mailer: { name: { en: 'Mail delivery service', ja: 'メール配信事業者' }, role: 'contractor', fields: ['email'], purposes: ['contact'], contract: 'CT-2024-003', country: 'JP' },
 * } satisfies VendorsSpec;
 * ```
 */
export type VendorsSpec = Record<string, VendorSpec>;

type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Is purpose `Q` one of `Roots` or a descendant of one (through `parent`)? */
type DescendsFrom<P extends PurposesSpec, Q, Roots, D extends number = 11> = [D] extends [never]
  ? false
  : Q extends Roots
    ? true
    : Q extends keyof P
      ? P[Q] extends { readonly parent: infer R }
        ? DescendsFrom<P, R, Roots, Depth[D]>
        : false
      : false;

/**
 * The purposes a field may be read for: the ones it lists and every descendant of them.
 *
 * @example
 * ```ts
 * type A = AllowedPurposes<typeof spec.purposes, typeof spec.fields, 'email'>;
 * ```
 */
export type AllowedPurposes<P extends PurposesSpec, F extends FieldsSpec, K extends keyof F> = {
  [Q in keyof P]: DescendsFrom<P, Q, F[K]['purposes'][number]> extends true ? Q : never;
}[keyof P] &
  string;

/**
 * The value type of field `K` (the output of its zod schema).
 *
 * @example
 * ```ts
 * type Dob = FieldValue<typeof spec.fields, 'dateOfBirth'>; // string
 * ```
 */
export type FieldValue<F extends FieldsSpec, K extends keyof F> = z.output<F[K]['schema']>;

/**
 * The input type accepted by `wrap` for field `K`.
 *
 * @example
 * ```ts
 * type In = FieldInput<typeof spec.fields, 'email'>; // string
 * ```
 */
export type FieldInput<F extends FieldsSpec, K extends keyof F> = z.input<F[K]['schema']>;
