/**
 * `UseSuspendedError`: code `USE_SUSPENDED`.
 *
 * @module
 */
import { AccessDeniedError, type AccessDenialDetails } from './access-denied.js';

/**
 * The person asked for suspension of use (APPI Art. 35) covering this purpose.
 *
 * @example
 * ```ts
 * await guard.suspend({ subject: 's1', purposes: 'all', actor: 'dpo' });
 * await guard.read(email, { purpose: 'contact', actor: 'a' }); // UseSuspendedError
 * ```
 */
export class UseSuspendedError extends AccessDeniedError {
  constructor(d: AccessDenialDetails) {
    super('USE_SUSPENDED', `Use of subject's data for purpose "${d.purpose}" is suspended (APPI Art. 35); field "${d.field}" was not read`, d);
  }
}
