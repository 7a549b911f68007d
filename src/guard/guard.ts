/**
 * The guard: every read of a personal value goes through it. It checks the purpose (directly
 * or through a parent), erasure, suspension of use, consent where the purpose needs it, and
 * legal exceptions for use outside the purpose; it audits every decision, allowed or denied,
 * in a hash-chained log that never holds a value.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import { createMemoryAuditLog, type AuditLog } from '../audit/audit-log.js';
import {
  AuditWriteError,
  ConsentRequiredError,
  ExceptionNotPermittedError,
  InvalidArgumentError,
  PurposeBoundError,
  PurposeNotAllowedError,
  type AccessDenialDetails,
  SubjectErasedError,
  UnknownPurposeError,
  UseSuspendedError,
} from '../errors.js';
import { LEGAL_EXCEPTIONS, type LegalException } from '../legal.js';
import { type PersonalField, unsealPersonalField } from '../personal-field.js';
import { allowedSetOf, assertSubjectId, isPolicy, type AnyPolicy, type PurposeIdOf } from '../policy/define-policy.js';
import { createMemoryConsentRegistry, type ConsentRecord, type ConsentRegistry } from '../state/consent.js';
import { createMemorySuspensionRegistry, type SuspensionRecord, type SuspensionRegistry } from '../state/suspension.js';
import { assertOptionalStoredText, assertStoredText, isStoredText } from '../util/stored-text.js';
import { isPromiseLike, type MaybePromise } from '../util/maybe-promise.js';
import { safeId } from '../util/safe-id.js';

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
 * A guard over one policy. Create it with {@link createGuard}.
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
   *   UnknownPurposeError, InvalidArgumentError, AuditWriteError
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
  readOutsidePurpose<V, K extends string>(
    field: PersonalField<V, string, K>,
    options: OutsidePurposeOptions<PurposeIdOf<Pol>>,
  ): Promise<V>;

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

const ACTOR_MAX = 200;

function assertActor(actor: unknown, argument = 'options.actor'): asserts actor is string {
  assertStoredText(actor, argument, ACTOR_MAX, 'a non-empty string naming who acts');
}

function assertOptions(options: unknown): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with purpose and actor');
}

function assertPurposeArg(purpose: unknown): asserts purpose is string {
  if (typeof purpose !== 'string' || purpose === '') throw new InvalidArgumentError('options.purpose', 'must be a purpose id');
}

function fieldSeal(field: unknown, policyId: string) {
  const seal = unsealPersonalField(field);
  if (!seal) throw new InvalidArgumentError('field', 'must be a PersonalField made by policy.wrap() or read from a vault (copies and proxies are not)');
  if (seal.policyId !== policyId) throw new InvalidArgumentError('field', `belongs to policy "${seal.policyId}", not "${policyId}"`);
  return seal;
}

function copyOut<V>(value: V): V {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** Per-purpose data the guard needs on every decision, computed once per guard. */
interface PurposeInfo {
  /** The purpose then its ancestors. */
  readonly lineage: readonly string[];
  /** Basis `consent`: every read for it needs a consent in force. */
  readonly needsConsent: boolean;
}

/**
 * Create a guard over a policy. With only `{ policy }` it keeps its audit log, consents and
 * suspensions in memory; pass a vault's stores to persist them.
 *
 * Decisions against synchronous registries (the in-memory ones) take no extra turn of the
 * event loop: the guard awaits only what a registry or audit log returns as a promise.
 *
 * @param options - the policy and, optionally, the audit log and state registries
 * @throws InvalidArgumentError when `options.policy` is not a policy made by `definePolicy`
 * @example
 * ```ts
 * import { createGuard, definePolicy } from 'purpose-bound';
 * const guard = createGuard({ policy: definePolicy(spec) });
 * ```
 */
export function createGuard<Pol extends AnyPolicy>(options: GuardOptions<Pol>): Guard<Pol> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with a policy');
  const { policy } = options;
  if (!isPolicy(policy)) {
    throw new InvalidArgumentError('options.policy', 'must be a policy made by definePolicy()');
  }
  const audit = options.audit ?? createMemoryAuditLog();
  const consents = options.consents ?? createMemoryConsentRegistry();
  const suspensions = options.suspensions ?? createMemorySuspensionRegistry();
  const erasures = options.erasures;
  const clock = options.clock ?? (() => new Date());
  const policyId = policy.id;
  const exceptionSet = new Set<string>(policy.exceptions);
  // The policy is immutable: precompute what every decision looks up.
  const purposeInfo = new Map<string, PurposeInfo>();
  for (const id of policy.purposeIds as readonly string[]) {
    purposeInfo.set(id, { lineage: policy.lineage(id), needsConsent: policy.purpose(id).basis === 'consent' });
  }
  const allowedByField = new Map<string, ReadonlySet<string>>();
  for (const id of policy.fieldIds as readonly string[]) allowedByField.set(id, allowedSetOf(policy, id) ?? new Set());

  function auditWriteError(cause: unknown): AuditWriteError {
    return new AuditWriteError({ cause: cause instanceof PurposeBoundError ? cause : undefined });
  }

  /** Append; synchronous logs are not awaited. Any failure becomes AuditWriteError (fail closed). */
  function appendNow(input: AuditEntryInput): MaybePromise<AuditEntry> {
    let r: MaybePromise<AuditEntry>;
    try {
      r = audit.append(input);
    } catch (cause) {
      throw auditWriteError(cause);
    }
    return isPromiseLike(r)
      ? r.then(undefined, (cause: unknown) => {
          throw auditWriteError(cause);
        })
      : r;
  }

  async function append(input: AuditEntryInput): Promise<AuditEntry> {
    return appendNow(input);
  }

  /** Audit a denial, then throw it (or the audit failure, which wins: fail closed). */
  async function deny(error: PurposeBoundError, entry: Omit<AuditEntryInput, 'decision' | 'reason'>): Promise<never> {
    const r = appendNow({ ...entry, decision: 'deny', reason: error.code });
    if (isPromiseLike(r)) await r;
    throw error;
  }

  function anyConsent(subject: string, lineage: readonly string[], now: Date, from = 0): MaybePromise<boolean> {
    for (let i = from; i < lineage.length; i++) {
      const r = consents.isGranted(subject, lineage[i] as string, now);
      if (isPromiseLike(r)) return r.then((granted) => granted || anyConsent(subject, lineage, now, i + 1));
      if (r) return true;
    }
    return false;
  }

  /** The access details of a denial, built only when one happens. */
  const detailsOf = (subject: string, field: string, purpose: string): AccessDenialDetails => ({ field, purpose, subject });

  /**
   * The checks after the purpose itself is decided: erasure, then suspension (unless a legal
   * exception overrides it), then consent where needed. `undefined` means allowed. Written
   * without closures so that a decision against synchronous stores allocates nothing extra.
   */
  function stateDenial(
    subject: string,
    field: string,
    purpose: string,
    info: PurposeInfo,
    ignoreSuspension: boolean,
    needsConsent: boolean,
    now: Date,
  ): MaybePromise<PurposeBoundError | undefined> {
    if (erasures) {
      const at = erasures.erasedAt(subject);
      if (isPromiseLike(at)) {
        return at.then((when) => (when !== undefined ? new SubjectErasedError(subject, when) : suspensionDenial(subject, field, purpose, info, ignoreSuspension, needsConsent, now)));
      }
      if (at !== undefined) return new SubjectErasedError(subject, at);
    }
    return suspensionDenial(subject, field, purpose, info, ignoreSuspension, needsConsent, now);
  }

  function suspensionDenial(
    subject: string,
    field: string,
    purpose: string,
    info: PurposeInfo,
    ignoreSuspension: boolean,
    needsConsent: boolean,
    now: Date,
  ): MaybePromise<PurposeBoundError | undefined> {
    if (!ignoreSuspension) {
      const suspended = suspensions.isSuspended(subject, info.lineage);
      if (isPromiseLike(suspended)) {
        return suspended.then((yes) => (yes ? new UseSuspendedError(detailsOf(subject, field, purpose)) : consentDenial(subject, field, purpose, info, needsConsent, now)));
      }
      if (suspended) return new UseSuspendedError(detailsOf(subject, field, purpose));
    }
    return consentDenial(subject, field, purpose, info, needsConsent, now);
  }

  function consentDenial(subject: string, field: string, purpose: string, info: PurposeInfo, needsConsent: boolean, now: Date): MaybePromise<PurposeBoundError | undefined> {
    if (!needsConsent) return undefined;
    const granted = anyConsent(subject, info.lineage, now);
    if (isPromiseLike(granted)) return granted.then((yes) => (yes ? undefined : new ConsentRequiredError(detailsOf(subject, field, purpose))));
    return granted ? undefined : new ConsentRequiredError(detailsOf(subject, field, purpose));
  }

  // toISOString() is a large part of a decision's cost: reuse it within the same millisecond.
  let lastMs = Number.NaN;
  let lastIso = '';
  const isoOf = (now: Date): string => {
    const ms = now.getTime();
    if (ms !== lastMs) {
      lastIso = now.toISOString();
      lastMs = ms;
    }
    return lastIso;
  };

  const guard: Guard<Pol> = {
    policy,
    audit,
    consents,
    suspensions,

    async read(field, options) {
      const seal = fieldSeal(field, policyId);
      assertOptions(options);
      const actor = options.actor;
      assertActor(actor);
      const purpose = options.purpose as unknown;
      assertPurposeArg(purpose);
      const now = clock();
      const at = isoOf(now);
      const info = purposeInfo.get(purpose);
      if (info === undefined) {
        // Recorded as described when not id-shaped: the audit log never repeats free text.
        const entry = { at, action: 'read', actor, subject: seal.subject, field: seal.field, purpose: safeId(purpose), basis: 'purpose' };
        return deny(new UnknownPurposeError(purpose, policyId), entry);
      }
      const restrictTo = seal.restrictTo;
      let allowed = allowedByField.get(seal.field)?.has(purpose) ?? false;
      if (allowed && restrictTo !== undefined) allowed = info.lineage.some((p) => restrictTo.has(p));
      let denial = allowed
        ? stateDenial(seal.subject, seal.field, purpose, info, false, info.needsConsent, now)
        : new PurposeNotAllowedError(detailsOf(seal.subject, seal.field, purpose));
      if (isPromiseLike(denial)) denial = await denial;
      if (denial !== undefined) {
        return deny(denial, { at, action: 'read', actor, subject: seal.subject, field: seal.field, purpose, basis: 'purpose' });
      }
      const r = appendNow({ at, action: 'read', actor, subject: seal.subject, field: seal.field, purpose, basis: 'purpose', decision: 'allow' });
      if (isPromiseLike(r)) await r;
      return copyOut(seal.value) as never;
    },

    async readOutsidePurpose(field, options) {
      const seal = fieldSeal(field, policyId);
      assertOptions(options);
      const actor = options.actor;
      assertActor(actor);
      const purpose = options.purpose as unknown;
      assertPurposeArg(purpose);
      const basis = options.basis as unknown;
      let basisLabel: string;
      let reference: string | undefined;
      let exception: string | undefined;
      if (basis === 'consent') basisLabel = 'consent';
      else if (typeof basis === 'object' && basis !== null && typeof (basis as { exception?: unknown }).exception === 'string') {
        exception = (basis as { exception: string }).exception;
        if (!Object.hasOwn(LEGAL_EXCEPTIONS, exception)) {
          throw new InvalidArgumentError('options.basis.exception', `must be one of ${Object.keys(LEGAL_EXCEPTIONS).join(', ')}`);
        }
        const ref = (basis as { reference?: unknown }).reference;
        if (!isStoredText(ref, 500)) {
          throw new InvalidArgumentError('options.basis.reference', 'must name the law, case or request the exception rests on (1-500 characters)');
        }
        reference = ref;
        basisLabel = `exception:${exception}`;
      } else {
        throw new InvalidArgumentError('options.basis', "must be 'consent' or { exception, reference }");
      }
      const now = clock();
      const info = purposeInfo.get(purpose);
      const entry = {
        at: isoOf(now),
        action: 'read-outside-purpose',
        actor,
        subject: seal.subject,
        field: seal.field,
        purpose: info === undefined ? safeId(purpose) : purpose,
        basis: basisLabel,
        ...(reference !== undefined && { reference }),
      };
      if (info === undefined) return deny(new UnknownPurposeError(purpose, policyId), entry);
      if (exception !== undefined && !exceptionSet.has(exception)) return deny(new ExceptionNotPermittedError(exception, policyId), entry);
      // A legal exception overrides suspension and needs no consent; consent must be in force.
      let denial = stateDenial(seal.subject, seal.field, purpose, info, exception !== undefined, exception === undefined, now);
      if (isPromiseLike(denial)) denial = await denial;
      if (denial !== undefined) return deny(denial, entry);
      const r = appendNow({ ...entry, decision: 'allow' });
      if (isPromiseLike(r)) await r;
      return copyOut(seal.value) as never;
    },

    async grantConsent(input) {
      return changeConsent(input, 'granted');
    },

    async withdrawConsent(input) {
      return changeConsent(input, 'withdrawn');
    },

    async suspend(input) {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
      assertSubjectId(input.subject, 'input.subject');
      assertActor(input.actor, 'input.actor');
      const purposes = input.purposes as unknown;
      if (purposes !== 'all') {
        if (!Array.isArray(purposes) || purposes.length === 0) throw new InvalidArgumentError('input.purposes', "must be 'all' or a non-empty array of purpose ids");
        for (const p of purposes) if (typeof p !== 'string' || !policy.hasPurpose(p)) throw new UnknownPurposeError(p as string, policyId);
      }
      assertOptionalStoredText(input.reason, 'input.reason', 500);
      assertOptionalStoredText(input.requestId, 'input.requestId', 200);
      const at = clock().toISOString();
      const rec = await settle(
        suspensions.suspend({
          subject: input.subject,
          purposes: input.purposes,
          at,
          actor: input.actor,
          ...(input.reason !== undefined && { reason: input.reason }),
          ...(input.requestId !== undefined && { requestId: input.requestId }),
        }),
      );
      await append({
        at,
        action: 'suspension.start',
        actor: input.actor,
        subject: input.subject,
        decision: 'record',
        ...(input.requestId !== undefined && { reference: input.requestId }),
        details: { suspension: rec.id, purposes: input.purposes === 'all' ? 'all' : input.purposes.join(',') },
      });
      return rec;
    },

    async liftSuspension(input) {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
      assertSubjectId(input.subject, 'input.subject');
      assertActor(input.actor, 'input.actor');
      if (typeof input.id !== 'string' || input.id === '') throw new InvalidArgumentError('input.id', 'must be a suspension id');
      const at = clock().toISOString();
      const rec = await settle(suspensions.lift(input.id, at, input.actor));
      if (!rec || rec.subject !== input.subject) throw new InvalidArgumentError('input.id', 'must be an active suspension of this subject');
      await append({ at, action: 'suspension.lift', actor: input.actor, subject: input.subject, decision: 'record', details: { suspension: rec.id } });
      return rec;
    },

    async record(input) {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
      assertActor(input.actor, 'input.actor');
      if (typeof input.action !== 'string' || input.action === '' || input.action.length > 200) throw new InvalidArgumentError('input.action', 'must be a non-empty string of at most 200 characters');
      if (input.decision !== 'allow' && input.decision !== 'deny' && input.decision !== 'record') throw new InvalidArgumentError('input.decision', "must be 'allow', 'deny' or 'record'");
      if (input.at !== undefined && (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at)))) throw new InvalidArgumentError('input.at', 'must be an ISO 8601 instant');
      for (const key of ['subject', 'field', 'purpose', 'basis', 'reference', 'reason'] as const) {
        const v = input[key] as unknown;
        if (v !== undefined && typeof v !== 'string') throw new InvalidArgumentError(`input.${key}`, 'must be a string');
      }
      if (input.details !== undefined) {
        const details = input.details as unknown;
        if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new InvalidArgumentError('input.details', 'must be an object of ids, counts and flags');
        for (const v of Object.values(details)) {
          if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
            throw new InvalidArgumentError('input.details', 'values must be strings, finite numbers, booleans or null');
          }
        }
      }
      return append({ ...input, at: input.at ?? clock().toISOString() });
    },
  };

  async function changeConsent(input: ConsentInput<string>, state: 'granted' | 'withdrawn'): Promise<ConsentRecord> {
    if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
    assertSubjectId(input.subject, 'input.subject');
    assertActor(input.actor, 'input.actor');
    if (typeof input.purpose !== 'string' || !policy.hasPurpose(input.purpose)) throw new UnknownPurposeError(input.purpose as string, policyId);
    if (input.expiresAt !== undefined && (typeof input.expiresAt !== 'string' || Number.isNaN(Date.parse(input.expiresAt)))) {
      throw new InvalidArgumentError('input.expiresAt', 'must be an ISO 8601 instant');
    }
    assertOptionalStoredText(input.method, 'input.method', 200);
    assertOptionalStoredText(input.noticeVersion, 'input.noticeVersion', 64);
    const at = clock().toISOString();
    const noticeVersion = input.noticeVersion ?? policy.version;
    const rec = await settle(
      consents.record({
        subject: input.subject,
        purpose: input.purpose,
        state,
        at,
        noticeVersion,
        actor: input.actor,
        ...(input.method !== undefined && { method: input.method }),
        ...(input.expiresAt !== undefined && { expiresAt: input.expiresAt }),
      }),
    );
    await append({
      at,
      action: state === 'granted' ? 'consent.grant' : 'consent.withdraw',
      actor: input.actor,
      subject: input.subject,
      purpose: input.purpose,
      decision: 'record',
      details: { consent: rec.id, noticeVersion },
    });
    return rec;
  }

  return Object.freeze(guard);
}

async function settle<T>(value: MaybePromise<T>): Promise<T> {
  return isPromiseLike(value) ? await value : value;
}
