/**
 * `BreachInvalidError`: code `BREACH_INVALID`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * An incident input, or a step of the workflow, that cannot be accepted: a missing or malformed
 * item (named by `field`), an unknown incident, a final report whose items are still unknown.
 * Never echoes the text given.
 *
 * @example
 * ```ts
 * await breaches.record({ ...input, discoveredAt: 'yesterday' });
 * // BreachInvalidError (BREACH_INVALID): input.discoveredAt must be an ISO 8601 instant
 * ```
 */
export class BreachInvalidError extends PurposeBoundError {
  /** The input field or argument at fault, e.g. `input.fields[0]` or `report.cause`. */
  readonly field: string;
  constructor(field: string, rule: string) {
    super('BREACH_INVALID', `${field} ${rule}`);
    this.field = field;
  }
}
