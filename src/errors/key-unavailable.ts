/**
 * `KeyUnavailableError`: code `KEY_UNAVAILABLE`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * A key needed to decrypt or wrap is missing or wrong (keyring lacks the key version, or a
 * subject's data key was destroyed).
 *
 * @example
 * ```ts
 * // opening a store with a keyring that lacks key "kek-2": KeyUnavailableError
 * ```
 */
export class KeyUnavailableError extends PurposeBoundError {
  readonly keyId: string;
  constructor(keyId: string, reason: string, options?: PurposeBoundErrorOptions) {
    super('KEY_UNAVAILABLE', `Key "${keyId}" is unavailable: ${reason}`, options);
    this.keyId = keyId;
  }
}
