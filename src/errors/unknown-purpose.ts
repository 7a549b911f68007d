/**
 * `UnknownPurposeError`: code `UNKNOWN_PURPOSE`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * A purpose id that the policy does not define. An id that is not id-shaped is described,
 * never repeated.
 *
 * @example
 * ```ts
 * await guard.read(email, { purpose: 'marketting', actor: 'a' }); // UnknownPurposeError
 * ```
 */
export class UnknownPurposeError extends PurposeBoundError {
  readonly purpose: string;
  constructor(purpose: string, policyId: string) {
    const shown = safeId(purpose);
    super('UNKNOWN_PURPOSE', `Policy "${policyId}" defines no purpose ${shown === purpose ? `"${shown}"` : shown}`);
    this.purpose = shown;
  }
}
