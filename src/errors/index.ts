/**
 * Every error class of purpose-bound, one file per class (one class per code; the access
 * denials share `AccessDeniedError`). Re-exported from the package root.
 *
 * @module
 */
export * from './base.js';
export * from './access-denied.js';
export * from './audit-write.js';
export * from './consent-not-the-basis.js';
export * from './consent-required.js';
export * from './exception-not-permitted.js';
export * from './field-not-issued.js';
export * from './identity-not-verified.js';
export * from './integrity.js';
export * from './invalid-argument.js';
export * from './invalid-personal-value.js';
export * from './key-unavailable.js';
export * from './policy-definition.js';
export * from './policy-mismatch.js';
export * from './prose-missing.js';
export * from './purpose-not-allowed.js';
export * from './request-kind.js';
export * from './request-not-found.js';
export * from './request-state.js';
export * from './storage.js';
export * from './storage-conflict.js';
export * from './storage-unavailable.js';
export * from './subject-already-erased.js';
export * from './subject-changed.js';
export * from './subject-erased.js';
export * from './subject-held.js';
export * from './subject-not-found.js';
export * from './translation-missing.js';
export * from './unknown-field.js';
export * from './unknown-purpose.js';
export * from './use-suspended.js';
export * from './value-not-found.js';
export * from './vendor-not-allowed.js';
export * from './published-items-missing.js';
export * from './foreign-provision-refused.js';
export * from './checkpoint.js';
export * from './audit-proof.js';
export * from './breach-invalid.js';
