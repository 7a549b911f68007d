/**
 * `UnknownFieldError`: code `UNKNOWN_FIELD`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * A field id that the policy does not define. An id that is not id-shaped (free text, a
 * non-string) is described, never repeated: `field` and the message hold the description.
 *
 * @example
 * ```ts
 * policy.wrap('emial', 'a@example.com', { subject: 's1' }); // UnknownFieldError: emial
 * ```
 */
export class UnknownFieldError extends PurposeBoundError {
  readonly field: string;
  constructor(field: string, policyId: string) {
    const shown = safeId(field);
    super('UNKNOWN_FIELD', `Policy "${policyId}" defines no field ${shown === field ? `"${shown}"` : shown}`);
    this.field = shown;
  }
}
