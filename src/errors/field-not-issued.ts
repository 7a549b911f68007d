/**
 * `FieldNotIssuedError`: code `FIELD_NOT_ISSUED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * A guard was handed a genuine `PersonalField` that it did not issue: a field of another vault,
 * a vault's field given to a standalone guard, or a field wrapped by another policy object
 * (even one with the same id). Only the issuer's own guard decides its reads; a guard that
 * refuses a field records the refusal in its own audit log.
 *
 * @example
 * ```ts
 * const email = vaultA.field(subject, 'email');
 * await vaultB.guard().read(email, { purpose: 'contact', actor: 'staff:7' }); // FIELD_NOT_ISSUED
 * ```
 */
export class FieldNotIssuedError extends PurposeBoundError {
  readonly field: string;
  readonly subject: string;
  constructor(field: string, subject: string) {
    super(
      'FIELD_NOT_ISSUED',
      `Field "${field}" of subject "${subject}" was not issued by this guard's vault or policy; read it through the guard of the vault (or policy object) it came from`,
    );
    this.field = field;
    this.subject = subject;
  }
}
