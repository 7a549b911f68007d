/**
 * `InvalidArgumentError`: code `INVALID_ARGUMENT`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * A public function got an argument of the wrong shape. `argument` names it.
 *
 * @example
 * ```ts
 * // guard.read(field, { purpose: 'contact' }) without an actor:
 * // InvalidArgumentError: options.actor must be a non-empty string (code INVALID_ARGUMENT)
 * ```
 */
export class InvalidArgumentError extends PurposeBoundError {
  readonly argument: string;
  constructor(argument: string, rule: string) {
    super('INVALID_ARGUMENT', `${argument} ${rule}`);
    this.argument = argument;
  }
}
