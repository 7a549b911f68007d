/**
 * The guard: every read of a personal value goes through it. It checks the purpose (directly
 * or through a parent), erasure, suspension of use, consent where the purpose needs it, and
 * legal exceptions for use outside the purpose; it audits every decision, allowed or denied,
 * in a hash-chained log that never holds a value.
 *
 * A guard reads only the fields its issuer made (see `personal-field.ts`): a standalone guard
 * those of its policy object, a vault's guard those of its vault, whose reads the vault decides
 * against the stored state and decrypts only once allowed and audited.
 *
 * The types live in `types.ts`, the argument checks in `input-checks.ts`, the decision chain in
 * `decision.ts`.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { AuditWriteError, FieldNotIssuedError, InvalidArgumentError, PurposeBoundError, UnknownPurposeError } from '../errors.js';
import { unsealPersonalField, type Sealed } from '../personal-field.js';
import { assertSubjectId, isPolicy, type AnyPolicy } from '../policy/define-policy.js';
import { createMemoryConsentRegistry, type ConsentRecord } from '../state/consent.js';
import { createMemorySuspensionRegistry } from '../state/suspension.js';
import { assertOptionalStoredText } from '../util/stored-text.js';
import { isPromiseLike, type MaybePromise } from '../util/maybe-promise.js';
import { decisionTableOf, purposeDecision, readEntry, registryDenial, type DecisionRegistries } from './decision.js';
import { assertActor, checkRecordInput, outsideReadRequest, readRequest, type ReadRequest } from './input-checks.js';
import type { ConsentInput, Guard, GuardOptions } from './types.js';

export type {
  ConsentInput,
  ErasureRegistry,
  Guard,
  GuardOptions,
  OutsidePurposeBasis,
  OutsidePurposeOptions,
  ReadOptions,
  SuspendInput,
} from './types.js';

/**
 * @internal how a vault's guard reads the vault's fields: the vault reads the value and the
 * subject's state, decides, audits and decrypts (see `vault/read-values.ts`).
 */
export interface IssuedReads {
  /** The vault's identity, which its fields carry. */
  readonly issuer: object;
  read(seal: Sealed, request: ReadRequest): Promise<unknown>;
}

function copyOut<V>(value: V): V {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

function sealOf(field: unknown): Sealed {
  const seal = unsealPersonalField(field);
  if (!seal) throw new InvalidArgumentError('field', 'must be a PersonalField made by policy.wrap() or vault.field() (copies and proxies are not)');
  return seal;
}

/**
 * Create a guard over a policy, for values held in memory (`policy.wrap`). With only
 * `{ policy }` it keeps its audit log, consents and suspensions in memory; pass stores to
 * persist them. It reads only the fields that this very policy object wrapped: fields of a
 * vault are read through that vault (`vault.read`, or `vault.guard()`), which decides against
 * the stored state.
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
  return buildGuard(options, undefined);
}

/** @internal a vault's guard: it reads only the vault's fields, through `issued`. */
export function createIssuingGuard<Pol extends AnyPolicy>(options: GuardOptions<Pol>, issued: IssuedReads): Guard<Pol> {
  return buildGuard(options, issued);
}

function buildGuard<Pol extends AnyPolicy>(options: GuardOptions<Pol>, issued: IssuedReads | undefined): Guard<Pol> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with a policy');
  const { policy } = options;
  if (!isPolicy(policy)) {
    throw new InvalidArgumentError('options.policy', 'must be a policy made by definePolicy()');
  }
  const audit = options.audit ?? createMemoryAuditLog();
  const consents = options.consents ?? createMemoryConsentRegistry();
  const suspensions = options.suspensions ?? createMemorySuspensionRegistry();
  const registries: DecisionRegistries = { consents, suspensions, erasures: options.erasures };
  const clock = options.clock ?? (() => new Date());
  const policyId = policy.id;
  const table = decisionTableOf(policy);
  // Who made the fields this guard may read: its vault, or its own policy object (compared by
  // identity: a look-alike policy with the same id is another issuer).
  const issuer: object = issued?.issuer ?? policy;

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

  /**
   * One read of a field. A field of another issuer is refused (and the refusal audited here);
   * a vault's field goes to the vault; an in-memory value is decided against the registries.
   */
  async function readField(field: unknown, request: (options: unknown) => ReadRequest, options: unknown): Promise<unknown> {
    const seal = sealOf(field);
    const req = request(options);
    if (seal.issuer !== issuer) {
      const now = clock();
      return deny(new FieldNotIssuedError(seal.field, seal.subject), readEntry(table, req, isoOf(now), seal.subject, seal.field));
    }
    if (issued !== undefined) return issued.read(seal, req);
    const now = clock();
    const entry = readEntry(table, req, isoOf(now), seal.subject, seal.field);
    const decided = purposeDecision(table, req, seal.subject, seal.field, seal.restrictTo);
    if (decided instanceof PurposeBoundError) return deny(decided, entry);
    let denial = registryDenial(registries, req, decided, seal.subject, seal.field, now);
    if (isPromiseLike(denial)) denial = await denial;
    if (denial !== undefined) return deny(denial, entry);
    const r = appendNow({ ...entry, decision: 'allow' });
    if (isPromiseLike(r)) await r;
    return copyOut(seal.value);
  }

  const guard: Guard<Pol> = {
    policy,
    audit,
    consents,
    suspensions,

    read(field, options) {
      return readField(field, readRequest, options) as never;
    },

    readOutsidePurpose(field, options) {
      return readField(field, outsideReadRequest, options) as never;
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
      checkRecordInput(input);
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
