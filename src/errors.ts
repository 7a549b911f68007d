/**
 * Every error the SDK throws: one base class, one stable `code` per failure.
 *
 * Messages name the field, purpose, argument or rule involved and never a personal value.
 * `cause` is passed through only where it cannot carry a value (driver and crypto errors are
 * wrapped, never echoed raw when they could contain input).
 *
 * @module
 */

import { safeId } from './util/safe-id.js';

const BRAND = Symbol.for('purpose-bound.error');

/**
 * Stable, documented error codes. Match on `error.code`, never on the message.
 *
 * @example
 * ```ts
 * import { isPurposeBoundError, type PurposeBoundErrorCode } from 'purpose-bound';
 *
 * const httpStatus: Partial<Record<PurposeBoundErrorCode, number>> = {
 *   PURPOSE_NOT_ALLOWED: 403, CONSENT_REQUIRED: 403, USE_SUSPENDED: 403, SUBJECT_ERASED: 410, STORAGE_UNAVAILABLE: 503,
 * };
 * const status = isPurposeBoundError(error) ? (httpStatus[error.code] ?? 500) : 500;
 * ```
 */
export type PurposeBoundErrorCode =
  | 'POLICY_INVALID'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_PURPOSE'
  | 'INVALID_PERSONAL_VALUE'
  | 'PURPOSE_NOT_ALLOWED'
  | 'CONSENT_REQUIRED'
  | 'USE_SUSPENDED'
  | 'EXCEPTION_NOT_PERMITTED'
  | 'SUBJECT_ERASED'
  | 'SUBJECT_NOT_FOUND'
  | 'FIELD_NOT_ISSUED'
  | 'AUDIT_WRITE_FAILED'
  | 'AUDIT_CHAIN_BROKEN'
  | 'CHECKPOINT_INVALID'
  | 'AUDIT_PROOF_UNAVAILABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CONFLICT'
  | 'STORAGE_ERROR'
  | 'KEY_UNAVAILABLE'
  | 'INTEGRITY_ERROR'
  | 'VENDOR_NOT_ALLOWED'
  | 'REQUEST_STATE'
  | 'REQUEST_NOT_FOUND'
  | 'IDENTITY_NOT_VERIFIED'
  | 'ALREADY_ERASED'
  | 'VALUE_NOT_FOUND'
  | 'TRANSLATION_MISSING'
  | 'PROSE_MISSING'
  | 'POLICY_MISMATCH'
  | 'CONSENT_NOT_THE_BASIS'
  // APPI completeness (issue #14)
  | 'PUBLISHED_ITEMS_MISSING'
  | 'FOREIGN_PROVISION_REFUSED'
  | 'BREACH_INVALID';

/**
 * Options every SDK error accepts.
 *
 * @example
 * ```ts
 * import { StorageUnavailableError } from 'purpose-bound';
 *
 * try {
 *   await pool.query('SELECT 1');
 * } catch (driverError) {
 *   // The driver's error names the host, never a personal value: safe to keep as the cause.
 *   throw new StorageUnavailableError('postgres', 'db.internal:5432/app', { cause: driverError });
 * }
 * ```
 */
export interface PurposeBoundErrorOptions {
  /** The underlying error, if it cannot carry a personal value. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by purpose-bound.
 *
 * `instanceof` works across duplicate copies of the package (the check uses a registered
 * symbol brand, like zod 4 does).
 *
 * @example
 * ```ts
 * import { PurposeBoundError } from 'purpose-bound';
 * try {
 *   await guard.read(email, { purpose: 'contact', actor: 'staff:42' });
 * } catch (error) {
 *   if (error instanceof PurposeBoundError) console.error(error.code); // e.g. USE_SUSPENDED
 * }
 * ```
 */
export class PurposeBoundError extends Error {
  /** Stable machine-readable code. */
  readonly code: PurposeBoundErrorCode;

  constructor(code: PurposeBoundErrorCode, message: string, options?: PurposeBoundErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (this === PurposeBoundError) return (value as Record<symbol, unknown>)[BRAND] === true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Type guard for SDK errors, optionally narrowed to one code.
 *
 * @example
 * ```ts
 * if (isPurposeBoundError(error, 'CONSENT_REQUIRED')) askForConsent();
 * ```
 */
export function isPurposeBoundError(value: unknown, code?: PurposeBoundErrorCode): value is PurposeBoundError {
  return value instanceof PurposeBoundError && (code === undefined || value.code === code);
}

/**
 * One problem found in a policy spec. `path` points into the spec, e.g. `fields.email.purposes[1]`.
 *
 * @example
 * ```ts
 * import { definePolicy, PolicyDefinitionError, type PolicyIssue } from 'purpose-bound';
 *
 * let issues: readonly PolicyIssue[] = [];
 * try {
 *   definePolicy(spec);
 * } catch (error) {
 *   if (error instanceof PolicyDefinitionError) issues = error.issues;
 * }
 * // e.g. [{ path: 'fields.email.purposes[1]', message: '...' }]
 * ```
 */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * `definePolicy` found problems in the spec. Lists every problem at once, each with its path.
 *
 * @example
 * ```ts
 * try { definePolicy(spec); } catch (e) {
 *   if (e instanceof PolicyDefinitionError) for (const i of e.issues) console.error(i.path, i.message);
 * }
 * ```
 */
export class PolicyDefinitionError extends PurposeBoundError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    super(
      'POLICY_INVALID',
      `Invalid policy: ${issues.length} problem(s):\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * A public function got an argument of the wrong shape. `argument` names it.
 *
 * @example
 * ```ts
 * // guard.read(field, { purpose: 'contact' }) without an actor:
 * // InvalidArgumentError: options.actor must be a non-empty string (code INVALID_ARGUMENT)
 * ```
 */
export class InvalidArgumentError extends PurposeBoundError {
  readonly argument: string;
  constructor(argument: string, rule: string) {
    super('INVALID_ARGUMENT', `${argument} ${rule}`);
    this.argument = argument;
  }
}

/**
 * A field id that the policy does not define. An id that is not id-shaped (free text, a
 * non-string) is described, never repeated: `field` and the message hold the description.
 *
 * @example
 * ```ts
 * policy.wrap('emial', 'a@example.com', { subject: 's1' }); // UnknownFieldError: emial
 * ```
 */
export class UnknownFieldError extends PurposeBoundError {
  readonly field: string;
  constructor(field: string, policyId: string) {
    const shown = safeId(field);
    super('UNKNOWN_FIELD', `Policy "${policyId}" defines no field ${shown === field ? `"${shown}"` : shown}`);
    this.field = shown;
  }
}

/**
 * A purpose id that the policy does not define. An id that is not id-shaped is described,
 * never repeated.
 *
 * @example
 * ```ts
 * await guard.read(email, { purpose: 'marketting', actor: 'a' }); // UnknownPurposeError
 * ```
 */
export class UnknownPurposeError extends PurposeBoundError {
  readonly purpose: string;
  constructor(purpose: string, policyId: string) {
    const shown = safeId(purpose);
    super('UNKNOWN_PURPOSE', `Policy "${policyId}" defines no purpose ${shown === purpose ? `"${shown}"` : shown}`);
    this.purpose = shown;
  }
}

/**
 * One broken rule of a field's schema, described without the value.
 *
 * @example
 * ```ts
 * import { InvalidPersonalValueError, type ValueRule } from 'purpose-bound';
 *
 * try {
 *   policy.wrap('email', 'not-an-address', { subject: 'sub_9f2c' });
 * } catch (error) {
 *   if (error instanceof InvalidPersonalValueError) {
 *     const rules: readonly ValueRule[] = error.rules; // [{ path: '', rule: 'invalid_format(email)' }]
 *     showFormError(error.field, rules.map((r) => r.rule));
 *   }
 * }
 * ```
 */
export interface ValueRule {
  /** Path inside the value (`""` for the value itself). */
  readonly path: string;
  /** The schema rule that failed, e.g. `invalid_format(email)` or `too_small(min 1)`. */
  readonly rule: string;
}

/**
 * One invalid value of an `InvalidPersonalValueError`: the field and the rules it breaks.
 *
 * @example
 * ```ts
 * const invalid: InvalidValue = { field: 'email', rules: [{ path: '', rule: 'invalid_format(email)' }] };
 * ```
 */
export interface InvalidValue {
  readonly field: string;
  readonly rules: readonly ValueRule[];
}

const describeRules = (rules: readonly ValueRule[]): string => rules.map((r) => (r.path ? `${r.rule} at ${r.path}` : r.rule)).join(', ');

/**
 * A value failed its field's schema. Names the field and the rules, never the value.
 * `vault.collect` validates every value before it stores any and reports all the invalid ones
 * at once: `invalid` lists each field with its rules, and `issues` the same in the shape of
 * `PolicyDefinitionError.issues` (`{ path: 'email', message: 'invalid_format(email)' }`), so one
 * handler can show both; `field` and `rules` are the first.
 *
 * @example
 * ```ts
 * policy.wrap('email', 'not-an-address', { subject: 's1' });
 * // InvalidPersonalValueError: Value for field "email" breaks invalid_format(email)
 * ```
 */
export class InvalidPersonalValueError extends PurposeBoundError {
  readonly field: string;
  readonly rules: readonly ValueRule[];
  /** Every invalid value, the first (`field`, `rules`) included. */
  readonly invalid: readonly InvalidValue[];
  /** `invalid` as paths and messages, like `PolicyDefinitionError.issues`. */
  readonly issues: readonly PolicyIssue[];
  constructor(field: string, rules: readonly ValueRule[], more: readonly InvalidValue[] = []) {
    const invalid = [{ field, rules }, ...more];
    super(
      'INVALID_PERSONAL_VALUE',
      more.length === 0
        ? `Value for field "${field}" breaks ${describeRules(rules)}`
        : `${invalid.length} values break their fields' schemas: ${invalid.map((v) => `"${v.field}" ${describeRules(v.rules)}`).join('; ')}`,
    );
    this.field = field;
    this.rules = Object.freeze([...rules]);
    this.invalid = Object.freeze(invalid.map((v) => Object.freeze({ field: v.field, rules: Object.freeze([...v.rules]) })));
    this.issues = Object.freeze(
      invalid.flatMap((v) => v.rules.map((r) => Object.freeze({ path: r.path ? `${v.field}${r.path.startsWith("[") ? "" : "."}${r.path}` : v.field, message: r.rule }))),
    );
  }
}

/**
 * Fields shared by the access-decision errors (`PurposeNotAllowedError`, `ConsentRequiredError`,
 * `UseSuspendedError`): ids only, never the value.
 *
 * @example
 * ```ts
 * import { ConsentRequiredError, PurposeNotAllowedError, UseSuspendedError, type AccessDenialDetails } from 'purpose-bound';
 *
 * function denial(error: unknown): AccessDenialDetails | undefined {
 *   const denied = error instanceof PurposeNotAllowedError || error instanceof ConsentRequiredError || error instanceof UseSuspendedError;
 *   return denied ? { field: error.field, purpose: error.purpose, subject: error.subject } : undefined;
 * }
 * ```
 */
export interface AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
}

/**
 * The purpose is not among the field's allowed purposes (nor a child of one).
 * Use outside the purpose needs `guard.readOutsidePurpose` with consent or a legal exception.
 *
 * @example
 * ```ts
 * await guard.read(phone, { purpose: 'marketing' as never, actor: 'a' }); // PURPOSE_NOT_ALLOWED
 * ```
 */
export class PurposeNotAllowedError extends PurposeBoundError implements AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
  constructor(d: AccessDenialDetails) {
    super(
      'PURPOSE_NOT_ALLOWED',
      `Field "${d.field}" may not be used for purpose "${d.purpose}" (APPI Art. 18(1)); ` +
        `use readOutsidePurpose() with the person's consent or a legal exception`,
    );
    this.field = d.field;
    this.purpose = d.purpose;
    this.subject = d.subject;
  }
}

/**
 * The use needs the person's consent for this purpose and none is in force (never given,
 * or withdrawn).
 *
 * @example
 * ```ts
 * await guard.readOutsidePurpose(email, { purpose: 'newsletter', actor: 'a', basis: 'consent' });
 * // ConsentRequiredError unless guard.grantConsent(...) was recorded first
 * ```
 */
export class ConsentRequiredError extends PurposeBoundError implements AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
  constructor(d: AccessDenialDetails) {
    super('CONSENT_REQUIRED', `Using field "${d.field}" for purpose "${d.purpose}" needs the person's consent, and none is in force`);
    this.field = d.field;
    this.purpose = d.purpose;
    this.subject = d.subject;
  }
}

/**
 * The person asked for suspension of use (APPI Art. 35) covering this purpose.
 *
 * @example
 * ```ts
 * await guard.suspend({ subject: 's1', purposes: 'all', actor: 'dpo' });
 * await guard.read(email, { purpose: 'contact', actor: 'a' }); // UseSuspendedError
 * ```
 */
export class UseSuspendedError extends PurposeBoundError implements AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
  constructor(d: AccessDenialDetails) {
    super('USE_SUSPENDED', `Use of subject's data for purpose "${d.purpose}" is suspended (APPI Art. 35); field "${d.field}" was not read`);
    this.field = d.field;
    this.purpose = d.purpose;
    this.subject = d.subject;
  }
}

/**
 * A legal exception the policy does not permit was invoked.
 *
 * @example
 * ```ts
 * // policy.exceptions = ['law']; then basis { exception: 'public-health-children', ... } throws this
 * ```
 */
export class ExceptionNotPermittedError extends PurposeBoundError {
  readonly exception: string;
  constructor(exception: string, policyId: string) {
    const shown = safeId(exception);
    super('EXCEPTION_NOT_PERMITTED', `Policy "${policyId}" does not permit the legal exception ${shown === exception ? `"${shown}"` : shown}`);
    this.exception = shown;
  }
}

/**
 * The subject's data was erased (crypto-shredded). The fact of erasure is kept; the values are gone.
 *
 * @example
 * ```ts
 * await vault.read('subject-1', 'email'); // SubjectErasedError after vault.erase('subject-1')
 * ```
 */
export class SubjectErasedError extends PurposeBoundError {
  readonly subject: string;
  readonly erasedAt: string | undefined;
  constructor(subject: string, erasedAt?: string) {
    super('SUBJECT_ERASED', `Subject "${subject}" was erased${erasedAt ? ` on ${erasedAt}` : ''}; its values no longer exist`);
    this.subject = subject;
    this.erasedAt = erasedAt;
  }
}

/**
 * No subject with this id is stored.
 *
 * @example
 * ```ts
 * await vault.read('nobody', 'email'); // SubjectNotFoundError
 * ```
 */
export class SubjectNotFoundError extends PurposeBoundError {
  readonly subject: string;
  constructor(subject: string) {
    super('SUBJECT_NOT_FOUND', `No subject "${subject}" is stored`);
    this.subject = subject;
  }
}

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
    super('FIELD_NOT_ISSUED', `Field "${field}" of subject "${subject}" was not issued by this guard's vault or policy; read it through the guard of the vault (or policy object) it came from`);
    this.field = field;
    this.subject = subject;
  }
}

/**
 * The audit log could not record a decision. The guarded operation fails closed: no value is
 * returned when its read could not be audited.
 *
 * @example
 * ```ts
 * // an AuditLog whose append() rejects makes guard.read() throw AuditWriteError
 * ```
 */
export class AuditWriteError extends PurposeBoundError {
  constructor(options?: PurposeBoundErrorOptions) {
    super('AUDIT_WRITE_FAILED', 'The audit log could not record the decision; the operation was not performed', options);
  }
}

/**
 * A storage adapter cannot reach its database (closed, unreachable, misconfigured).
 * `adapter` and `location` say which; `location` never holds a password.
 *
 * @example
 * ```ts
 * // StorageUnavailableError: postgres adapter at postgres://postgres@127.0.0.1:5432/pb is unavailable
 * ```
 */
export class StorageUnavailableError extends PurposeBoundError {
  readonly adapter: string;
  readonly location: string;
  constructor(adapter: string, location: string, options?: PurposeBoundErrorOptions) {
    super('STORAGE_UNAVAILABLE', `${adapter} adapter at ${location} is unavailable`, options);
    this.adapter = adapter;
    this.location = location;
  }
}

/**
 * A concurrent writer changed the same record first; retry the operation.
 *
 * @example
 * ```ts
 * // two writers updating one subject: one succeeds, the other gets StorageConflictError
 * ```
 */
export class StorageConflictError extends PurposeBoundError {
  constructor(what: string, options?: PurposeBoundErrorOptions) {
    super('STORAGE_CONFLICT', `Concurrent update of ${what}; retry`, options);
  }
}

/**
 * The database rejected an operation for a reason other than being unreachable or a
 * concurrent update (a constraint, a full disk, a schema newer than this library). The driver's
 * own error is not attached: its message and parameters could hold stored data. `driverCode`
 * keeps its SQLSTATE or SQLite code.
 *
 * @example
 * ```ts
 * // StorageError: sqlite adapter at /var/lib/app.db failed to putValue (SQLITE_FULL)
 * ```
 */
export class StorageError extends PurposeBoundError {
  readonly adapter: string;
  readonly location: string;
  readonly operation: string;
  readonly driverCode: string | undefined;
  constructor(adapter: string, location: string, operation: string, driverCode?: string, detail?: string) {
    super(
      'STORAGE_ERROR',
      `${adapter} adapter at ${location} failed to ${operation}${driverCode ? ` (${driverCode})` : ''}${detail ? `: ${detail}` : ''}`,
    );
    this.adapter = adapter;
    this.location = location;
    this.operation = operation;
    this.driverCode = driverCode;
  }
}

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
