/**
 * The guard's public types: its options, the options of a read, of a read outside the purpose,
 * of consent and suspension changes, and the `Guard` itself.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { LegalException } from '../legal.js';
import type { PersonalField } from '../personal-field.js';
import type { AnyPolicy, PurposeIdOf } from '../policy/define-policy.js';
import type { ConsentRecord, ConsentRegistry } from '../state/consent.js';
import type { SuspensionRecord, SuspensionRegistry } from '../state/suspension.js';
import type { MaybePromise } from '../util/maybe-promise.js';

/**
 * Tells the guard whether a subject was erased. Storage provides it; without one, the guard
 * relies on erased data being gone from storage.
 *
 * @example
 * ```ts
 * const erasures: ErasureRegistry = { erasedAt: (subject) => tombstones.get(subject) };
 * ```
 */
export interface ErasureRegistry {
  /** ISO instant of erasure, or `undefined` when the subject is not erased. */
  erasedAt(subject: string): MaybePromise<string | undefined>;
}

/**
 * Options of {@link createGuard}. Every store defaults to an in-memory one; pass a storage
 * adapter's registries to make decisions and the audit trail durable.
 *
 * @example
 * ```ts
 * import { createGuard, createMemoryAuditLog, type GuardOptions } from 'purpose-bound';
 * import { ji4pePolicy } from './policy.js';
 *
 * const options: GuardOptions<typeof ji4pePolicy> = {
 *   policy: ji4pePolicy,
 *   audit: createMemoryAuditLog(),
 *   clock: () => new Date('2026-04-01T09:00:00Z'), // a fixed clock for tests
 * };
 * const guard = createGuard(options);
 * ```
 */
export interface GuardOptions<Pol extends AnyPolicy> {
  readonly policy: Pol;
  readonly audit?: AuditLog;
  readonly consents?: ConsentRegistry;
  readonly suspensions?: SuspensionRegistry;
  readonly erasures?: ErasureRegistry;
  /** Clock for decisions and audit times. Default `() => new Date()`. */
  readonly clock?: () => Date;
}

/**
 * Options of `guard.read`: the purpose of this use and who uses the value.
 *
 * @example
 * ```ts
 * const email = ji4pePolicy.wrap('email', 'hana@example.jp', { subject: 'sub_9f2c' });
 * const address = await guard.read(email, { purpose: 'contact', actor: 'staff:7' });
 * await guard.read(email, { purpose: 'abusePrevention', actor: 'staff:7' }); // compile error: email does not allow it
 * ```
 */
export interface ReadOptions<Purpose extends string> {
  /** The purpose of this use: must be one the field allows (compile-time where types know). */
  readonly purpose: Purpose;
  /** Who reads: a staff id, a service name. Recorded in the audit log. */
  readonly actor: string;
}

/**
 * The ground for using data outside its purposes: the person's recorded consent (APPI Art.
 * 18(1)) or a legal exception of Art. 18(3) with a reference (statute, case or request number).
 *
 * @example
 * ```ts
 * const byConsent: OutsidePurposeBasis = 'consent';
 * const byLaw: OutsidePurposeBasis = { exception: 'law', reference: 'Tax inquiry 2026-118' };
 * ```
 */
export type OutsidePurposeBasis = 'consent' | { readonly exception: LegalException; readonly reference: string };

/**
 * Options of `guard.readOutsidePurpose`: the (outside) purpose, who uses the value and the
 * ground for it, consent or an APPI Art. 18(3) exception with a reference.
 *
 * @example
 * ```ts
 * const name = ji4pePolicy.wrap('name', '山田 花子', { subject: 'sub_9f2c' });
 * const value = await guard.readOutsidePurpose(name, {
 *   purpose: 'legalCompliance',
 *   actor: 'dpo',
 *   basis: { exception: 'law', reference: 'Court order 2026 (ワ) 1234' },
 * });
 * ```
 */
export interface OutsidePurposeOptions<Purpose extends string> {
  readonly purpose: Purpose;
  readonly actor: string;
  readonly basis: OutsidePurposeBasis;
}

/**
 * Input of `guard.grantConsent` / `guard.withdrawConsent`.
 *
 * @example
 * ```ts
 * await guard.grantConsent({ subject: 'sub_9f2c', purpose: 'applicationPrefill', actor: 'subject', method: 'web-form' });
 * // ...later, from the account page:
 * await guard.withdrawConsent({ subject: 'sub_9f2c', purpose: 'applicationPrefill', actor: 'subject', method: 'web-form' });
 * ```
 */
export interface ConsentInput<Purpose extends string> {
  readonly subject: string;
  readonly purpose: Purpose;
  readonly actor: string;
  /** Notice version the person saw; default the policy's version. */
  readonly noticeVersion?: string;
  readonly method?: string;
  readonly expiresAt?: string;
}

/**
 * Input of `guard.suspend`: suspension of use (利用停止, APPI Art. 35) for all purposes or the
 * listed ones (their child purposes included).
 *
 * @example
 * ```ts
 * const suspension = await guard.suspend({
 *   subject: 'sub_9f2c', purposes: ['contact'], actor: 'dpo',
 *   reason: 'Request to stop contact', requestId: 'req_7c1e',
 * });
 * // Every read of this person's data for 'contact' (and its child purposes) is now denied.
 * await guard.liftSuspension({ id: suspension.id, actor: 'dpo', subject: 'sub_9f2c' });
 * ```
 */
export interface SuspendInput<Purpose extends string> {
  readonly subject: string;
  readonly purposes: 'all' | readonly Purpose[];
  readonly actor: string;
  readonly reason?: string;
  readonly requestId?: string;
}

/**
 * A guard over one policy. Create it with {@link createGuard} for values held in memory
 * (`policy.wrap`), or take a vault's with `vault.guard()`.
 *
 * Every field is bound to its issuer: a standalone guard reads only the fields that its own
 * policy object wrapped; a vault's guard reads only that vault's fields (`vault.field()`), and
 * decides each read against the subject's stored state (erasure, suspensions, consents) read in
 * one statement, then audits it, and only then decrypts. Any other field is refused with
 * `FieldNotIssuedError`, recorded in this guard's audit log.
 *
 * @example
 * ```ts
 * const guard = createGuard({ policy });
 * const email = policy.wrap('email', 'hana@example.jp', { subject: 's1' });
 * const value = await guard.read(email, { purpose: 'contact', actor: 'staff:7' });
 * ```
 */
export interface Guard<Pol extends AnyPolicy> {
  readonly policy: Pol;
  readonly audit: AuditLog;
  readonly consents: ConsentRegistry;
  readonly suspensions: SuspensionRegistry;

  /**
   * Read a value for one of the field's allowed purposes. A purpose the field does not allow
   * is a compile error where the field's type is known, and a runtime denial always.
   *
   * @throws PurposeNotAllowedError, UseSuspendedError, ConsentRequiredError, SubjectErasedError,
   *   UnknownPurposeError, FieldNotIssuedError, InvalidArgumentError, AuditWriteError; for a
   *   vault's field also SubjectNotFoundError, ValueNotFoundError
   */
  read<V, A extends string, K extends string>(field: PersonalField<V, A, K>, options: ReadOptions<NoInfer<A>>): Promise<V>;

  /**
   * Use a value outside its purposes: only with the person's consent in force for that
   * purpose, or under a legal exception with a reference. A legal exception applies even while
   * use is suspended; consent does not.
   *
   * @throws ConsentRequiredError, UseSuspendedError, ExceptionNotPermittedError, SubjectErasedError,
   *   UnknownPurposeError, InvalidArgumentError, AuditWriteError
   */
  readOutsidePurpose<V, K extends string>(field: PersonalField<V, string, K>, options: OutsidePurposeOptions<PurposeIdOf<Pol>>): Promise<V>;

  /** Record the person's consent to a purpose (audited). */
  grantConsent(input: ConsentInput<PurposeIdOf<Pol>>): Promise<ConsentRecord>;
  /** Record the withdrawal of consent (同意の撤回), effective for every later read (audited). */
  withdrawConsent(input: ConsentInput<PurposeIdOf<Pol>>): Promise<ConsentRecord>;
  /** Suspend use of a subject's data for all or some purposes (audited). */
  suspend(input: SuspendInput<PurposeIdOf<Pol>>): Promise<SuspensionRecord>;
  /** Lift a suspension (audited). @throws InvalidArgumentError when the id is unknown or already lifted */
  liftSuspension(input: { readonly id: string; readonly actor: string; readonly subject: string }): Promise<SuspensionRecord>;
  /**
   * Record a decision made elsewhere (a provision, a request step) in the same audit chain.
   * Only ids and codes: the type has no room for values.
   */
  record(input: Omit<AuditEntryInput, 'at'> & { readonly at?: string }): Promise<AuditEntry>;
}
