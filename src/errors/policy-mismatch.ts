/**
 * `PolicyMismatchError`: code `POLICY_MISMATCH`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * Two policies were compared (a change notice, `diffPolicies`) that are not versions of one
 * policy: their ids differ, or the "previous" one takes effect after the next one.
 *
 * @example
 * ```ts
 * diffPolicies(shopPolicy, ji4pePolicy); // PolicyMismatchError (code POLICY_MISMATCH)
 * ```
 */
export class PolicyMismatchError extends PurposeBoundError {
  readonly previousId: string;
  readonly nextId: string;
  constructor(previousId: string, nextId: string, reason: string) {
    super('POLICY_MISMATCH', `Cannot compare policy "${previousId}" with policy "${nextId}": ${reason}`);
    this.previousId = previousId;
    this.nextId = nextId;
  }
}
