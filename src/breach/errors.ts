/**
 * Errors of the breach (漏えい等) workflow.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';
import { safeId } from '../util/safe-id.js';

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

/** @internal an unknown incident id, described without echoing it when it is not id-shaped. */
export function unknownIncident(id: unknown): BreachInvalidError {
  return new BreachInvalidError('incident', `${safeId(id)} is not a recorded incident`);
}
