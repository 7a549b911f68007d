/**
 * `PurposeNotAllowedError`: code `PURPOSE_NOT_ALLOWED`.
 *
 * @module
 */
import { AccessDeniedError, type AccessDenialDetails } from './access-denied.js';

/**
 * The purpose is not among the field's allowed purposes (nor a child of one).
 * Use outside the purpose needs `guard.readOutsidePurpose` with consent or a legal exception.
 *
 * @example
 * ```ts
 * await guard.read(phone, { purpose: 'marketing' as never, actor: 'a' }); // PURPOSE_NOT_ALLOWED
 * ```
 */
export class PurposeNotAllowedError extends AccessDeniedError {
  constructor(d: AccessDenialDetails) {
    super(
      'PURPOSE_NOT_ALLOWED',
      `Field "${d.field}" may not be used for purpose "${d.purpose}" (APPI Art. 18(1)); ` + `use readOutsidePurpose() with the person's consent or a legal exception`,
      d,
    );
  }
}
