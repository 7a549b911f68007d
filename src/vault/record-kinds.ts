/**
 * Every kind of record the library stores in `pb_records`, in one place. The vault's own kinds
 * (consents, suspensions, erasures and their purge queue) change only through the vault and its
 * guard; the features' kinds (requests, provision records, the retention sweep's pending
 * erasures) through `vault.records`.
 *
 * @module
 */

/** @internal kinds the vault writes itself: `vault.records` refuses to write them. */
export const RECORD_KINDS = Object.freeze({
  consent: 'consent',
  suspension: 'suspension',
  erasure: 'erasure',
  purge: 'erasure-purge',
} as const);

/** @internal kinds of the features above the vault. */
export const FEATURE_RECORD_KINDS = Object.freeze({
  /** A data-subject request (the request desk). */
  request: 'request',
  /** The index of open requests, by subject (overdue listing, the retention hold). */
  openRequest: 'request-open',
  /** A record of provision to a third party (APPI Art. 29). */
  provision: 'provision',
  /** An erasure the retention sweep decided on and has not finished. */
  pendingErasure: 'retention-erasure',
} as const);

const VAULT_KINDS: ReadonlySet<string> = new Set(Object.values(RECORD_KINDS));

/** @internal is this one of the vault's own kinds? */
export function isVaultRecordKind(kind: string): boolean {
  return VAULT_KINDS.has(kind);
}
