/**
 * `ExceptionNotPermittedError`: code `EXCEPTION_NOT_PERMITTED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * A legal exception the policy does not permit was invoked.
 *
 * @example
 * ```ts
 * // policy.exceptions = ['law']; then basis { exception: 'public-health-children', ... } throws this
 * ```
 */
export class ExceptionNotPermittedError extends PurposeBoundError {
  readonly exception: string;
  constructor(exception: string, policyId: string) {
    const shown = safeId(exception);
    super('EXCEPTION_NOT_PERMITTED', `Policy "${policyId}" does not permit the legal exception ${shown === exception ? `"${shown}"` : shown}`);
    this.exception = shown;
  }
}
