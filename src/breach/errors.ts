/**
 * Errors of the breach (漏えい等) workflow.
 *
 * @module
 */
import { BreachInvalidError } from '../errors.js';

export { BreachInvalidError } from '../errors.js';
import { safeId } from '../util/safe-id.js';

/** @internal an unknown incident id, described without echoing it when it is not id-shaped. */
export function unknownIncident(id: unknown): BreachInvalidError {
  return new BreachInvalidError('incident', `${safeId(id)} is not a recorded incident`);
}
