/**
 * `ValueNotFoundError`: code `VALUE_NOT_FOUND`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * The subject exists but has no stored value for this field (never collected, or deleted).
 *
 * @example
 * ```ts
 * await vault.read(subject, 'phone', { purpose: 'contact', actor: 'staff:7' }); // ValueNotFoundError when no phone was collected
 * ```
 */
export class ValueNotFoundError extends PurposeBoundError {
  readonly subject: string;
  readonly field: string;
  constructor(subject: string, field: string, what = 'value') {
    super('VALUE_NOT_FOUND', `Subject "${subject}" has no stored ${what} for field "${field}"`);
    this.subject = subject;
    this.field = field;
  }
}
