/**
 * `IntegrityError`: code `INTEGRITY_ERROR`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * Stored data failed its integrity check (tampered ciphertext, a ciphertext moved to another
 * subject or field, a broken audit chain). Nothing is returned.
 *
 * @example
 * ```ts
 * // one byte of a stored ciphertext changed: vault.read() throws IntegrityError
 * ```
 */
export class IntegrityError extends PurposeBoundError {
  readonly subject: string | undefined;
  readonly field: string | undefined;
  constructor(what: string, where?: { subject?: string; field?: string }, options?: PurposeBoundErrorOptions) {
    super('INTEGRITY_ERROR', `Integrity check failed: ${what}`, options);
    this.subject = where?.subject;
    this.field = where?.field;
  }
}
