/**
 * `InvalidPersonalValueError`: code `INVALID_PERSONAL_VALUE`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import type { PolicyIssue } from './policy-definition.js';

/**
 * One broken rule of a field's schema, described without the value.
 *
 * @example
 * ```ts
 * import { InvalidPersonalValueError, type ValueRule } from 'purpose-bound';
 *
 * try {
 *   policy.wrap('email', 'not-an-address', { subject: 'sub_9f2c' });
 * } catch (error) {
 *   if (error instanceof InvalidPersonalValueError) {
 *     const rules: readonly ValueRule[] = error.rules; // [{ path: '', rule: 'invalid_format(email)' }]
 *     showFormError(error.field, rules.map((r) => r.rule));
 *   }
 * }
 * ```
 */
export interface ValueRule {
  /** Path inside the value (`""` for the value itself). */
  readonly path: string;
  /** The schema rule that failed, e.g. `invalid_format(email)` or `too_small(min 1)`. */
  readonly rule: string;
}

/**
 * One invalid value of an `InvalidPersonalValueError`: the field and the rules it breaks.
 *
 * @example
 * ```ts
 * const invalid: InvalidValue = { field: 'email', rules: [{ path: '', rule: 'invalid_format(email)' }] };
 * ```
 */
export interface InvalidValue {
  readonly field: string;
  readonly rules: readonly ValueRule[];
}

const describeRules = (rules: readonly ValueRule[]): string => rules.map((r) => (r.path ? `${r.rule} at ${r.path}` : r.rule)).join(', ');

/**
 * A value failed its field's schema. Names the field and the rules, never the value.
 * `vault.collect` validates every value before it stores any and reports all the invalid ones
 * at once: `invalid` lists each field with its rules, and `issues` the same in the shape of
 * `PolicyDefinitionError.issues` (`{ path: 'email', message: 'invalid_format(email)' }`), so one
 * handler can show both; `field` and `rules` are the first.
 *
 * @example
 * ```ts
 * policy.wrap('email', 'not-an-address', { subject: 's1' });
 * // InvalidPersonalValueError: Value for field "email" breaks invalid_format(email)
 * ```
 */
export class InvalidPersonalValueError extends PurposeBoundError {
  readonly field: string;
  readonly rules: readonly ValueRule[];
  /** Every invalid value, the first (`field`, `rules`) included. */
  readonly invalid: readonly InvalidValue[];
  /** `invalid` as paths and messages, like `PolicyDefinitionError.issues`. */
  readonly issues: readonly PolicyIssue[];
  constructor(field: string, rules: readonly ValueRule[], more: readonly InvalidValue[] = []) {
    const invalid = [{ field, rules }, ...more];
    super(
      'INVALID_PERSONAL_VALUE',
      more.length === 0
        ? `Value for field "${field}" breaks ${describeRules(rules)}`
        : `${invalid.length} values break their fields' schemas: ${invalid.map((v) => `"${v.field}" ${describeRules(v.rules)}`).join('; ')}`,
    );
    this.field = field;
    this.rules = Object.freeze([...rules]);
    this.invalid = Object.freeze(invalid.map((v) => Object.freeze({ field: v.field, rules: Object.freeze([...v.rules]) })));
    this.issues = Object.freeze(
      invalid.flatMap((v) => v.rules.map((r) => Object.freeze({ path: r.path ? `${v.field}${r.path.startsWith('[') ? '' : '.'}${r.path}` : v.field, message: r.rule }))),
    );
  }
}
