/**
 * The guard's decision chain, as plain functions over a policy and a subject's state:
 *
 * 1. the purpose: known to the policy; within the field's purposes (directly or as a child of
 *    one) and its runtime restriction, or, outside them, a legal exception the policy announces;
 * 2. the subject's state: not erased; use not suspended for the purpose or an ancestor (a legal
 *    exception overrides a suspension); consent in force for the purpose or an ancestor where
 *    the purpose rests on consent (or where consent is the ground for a use outside the purpose).
 *
 * The state comes either from a snapshot the vault read in one statement (`snapshotDenial`,
 * synchronous) or from the registries a standalone guard was given (`registryDenial`, awaiting
 * only what a registry returns as a promise).
 *
 * @module
 */
import type { AuditEntryInput } from '../audit/audit-entry.js';
import {
  ConsentRequiredError,
  ExceptionNotPermittedError,
  PurposeNotAllowedError,
  type PurposeBoundError,
  SubjectErasedError,
  UnknownPurposeError,
  UseSuspendedError,
} from '../errors.js';
import { allowedSetOf, type AnyPolicy } from '../policy/define-policy.js';
import { consentInForce, type ConsentRecord, type ConsentRegistry } from '../state/consent.js';
import { suspensionCovers, type SuspensionRecord, type SuspensionRegistry } from '../state/suspension.js';
import { isPromiseLike, type MaybePromise } from '../util/maybe-promise.js';
import { safeId } from '../util/safe-id.js';
import type { ErasureRegistry } from './types.js';
import type { ReadRequest } from './input-checks.js';

/** @internal what every decision looks up about a purpose, computed once per policy. */
export interface PurposeInfo {
  /** The purpose then its ancestors. */
  readonly lineage: readonly string[];
  /** Basis `consent`: every read for it needs a consent in force. */
  readonly needsConsent: boolean;
}

/** @internal a policy's decision data, computed once per policy object. */
export interface DecisionTable {
  readonly policyId: string;
  readonly purposes: ReadonlyMap<string, PurposeInfo>;
  readonly allowedByField: ReadonlyMap<string, ReadonlySet<string>>;
  readonly exceptions: ReadonlySet<string>;
}

const tables = new WeakMap<object, DecisionTable>();

/** @internal the decision table of a policy (the policy is immutable: computed once). */
export function decisionTableOf(policy: AnyPolicy): DecisionTable {
  let table = tables.get(policy);
  if (table === undefined) {
    const purposes = new Map<string, PurposeInfo>();
    for (const id of policy.purposeIds as readonly string[]) purposes.set(id, { lineage: policy.lineage(id), needsConsent: policy.purpose(id).basis === 'consent' });
    const allowedByField = new Map<string, ReadonlySet<string>>();
    for (const id of policy.fieldIds as readonly string[]) allowedByField.set(id, allowedSetOf(policy, id) ?? new Set());
    table = { policyId: policy.id, purposes, allowedByField, exceptions: new Set<string>(policy.exceptions) };
    tables.set(policy, table);
  }
  return table;
}

/** @internal the subject's state a decision is made against, as the vault read it. */
export interface DecisionState {
  readonly erasedAt: string | null;
  readonly suspensions: readonly SuspensionRecord[];
  readonly consents: readonly ConsentRecord[];
}

/**
 * @internal step 1: the purpose of `request` for `field`. Returns the purpose's info when the
 * state is to be checked next, or the denial.
 */
export function purposeDecision(
  table: DecisionTable,
  request: ReadRequest,
  subject: string,
  field: string,
  restrictTo: ReadonlySet<string> | undefined,
): PurposeInfo | PurposeBoundError {
  const info = table.purposes.get(request.purpose);
  if (info === undefined) return new UnknownPurposeError(request.purpose, table.policyId);
  if (request.outside) {
    if (request.exception !== undefined && !table.exceptions.has(request.exception)) return new ExceptionNotPermittedError(request.exception, table.policyId);
    return info;
  }
  let allowed = table.allowedByField.get(field)?.has(request.purpose) ?? false;
  if (allowed && restrictTo !== undefined) allowed = info.lineage.some((p) => restrictTo.has(p));
  return allowed ? info : new PurposeNotAllowedError({ field, purpose: request.purpose, subject });
}

/** A legal exception overrides a suspension and needs no consent; consent as the ground must be in force. */
function stateRules(request: ReadRequest, info: PurposeInfo): { readonly checkSuspension: boolean; readonly needsConsent: boolean } {
  if (!request.outside) return { checkSuspension: true, needsConsent: info.needsConsent };
  return request.exception !== undefined ? { checkSuspension: false, needsConsent: false } : { checkSuspension: true, needsConsent: true };
}

/** @internal step 2 against a snapshot of the subject's state: the denial, or `undefined` (allowed). */
export function snapshotDenial(request: ReadRequest, info: PurposeInfo, subject: string, field: string, state: DecisionState, now: Date): PurposeBoundError | undefined {
  if (state.erasedAt !== null) return new SubjectErasedError(subject, state.erasedAt);
  const rules = stateRules(request, info);
  if (rules.checkSuspension && suspensionCovers(state.suspensions, info.lineage)) return new UseSuspendedError({ field, purpose: request.purpose, subject });
  if (rules.needsConsent && !info.lineage.some((p) => consentInForce(state.consents, p, now))) {
    return new ConsentRequiredError({ field, purpose: request.purpose, subject });
  }
  return undefined;
}

/** @internal the registries a standalone guard decides against. */
export interface DecisionRegistries {
  readonly consents: ConsentRegistry;
  readonly suspensions: SuspensionRegistry;
  readonly erasures: ErasureRegistry | undefined;
}

function anyConsent(consents: ConsentRegistry, subject: string, lineage: readonly string[], now: Date, from = 0): MaybePromise<boolean> {
  for (let i = from; i < lineage.length; i++) {
    const r = consents.isGranted(subject, lineage[i] as string, now);
    if (isPromiseLike(r)) return r.then((granted) => granted || anyConsent(consents, subject, lineage, now, i + 1));
    if (r) return true;
  }
  return false;
}

/**
 * @internal step 2 against registries: erasure, then suspension, then consent, awaiting only
 * what a registry returns as a promise (in-memory registries decide synchronously).
 */
export function registryDenial(
  stores: DecisionRegistries,
  request: ReadRequest,
  info: PurposeInfo,
  subject: string,
  field: string,
  now: Date,
): MaybePromise<PurposeBoundError | undefined> {
  const rules = stateRules(request, info);
  const consent = (): MaybePromise<PurposeBoundError | undefined> => {
    if (!rules.needsConsent) return undefined;
    const granted = anyConsent(stores.consents, subject, info.lineage, now);
    const denial = (yes: boolean) => (yes ? undefined : new ConsentRequiredError({ field, purpose: request.purpose, subject }));
    return isPromiseLike(granted) ? granted.then(denial) : denial(granted);
  };
  const suspension = (): MaybePromise<PurposeBoundError | undefined> => {
    if (!rules.checkSuspension) return consent();
    const suspended = stores.suspensions.isSuspended(subject, info.lineage);
    const next = (yes: boolean) => (yes ? new UseSuspendedError({ field, purpose: request.purpose, subject }) : consent());
    return isPromiseLike(suspended) ? suspended.then(next) : next(suspended);
  };
  if (stores.erasures === undefined) return suspension();
  const at = stores.erasures.erasedAt(subject);
  const next = (when: string | undefined) => (when !== undefined ? new SubjectErasedError(subject, when) : suspension());
  return isPromiseLike(at) ? at.then(next) : next(at);
}

/**
 * @internal the audit entry of a read decision, without its outcome. An unknown purpose is
 * recorded as described when it is not id-shaped: the audit log never repeats free text.
 */
export function readEntry(table: DecisionTable, request: ReadRequest, at: string, subject: string, field: string): Omit<AuditEntryInput, 'decision' | 'reason'> {
  return {
    at,
    action: request.outside ? 'read-outside-purpose' : 'read',
    actor: request.actor,
    subject,
    field,
    purpose: table.purposes.has(request.purpose) ? request.purpose : safeId(request.purpose),
    basis: request.basis,
    ...(request.reference !== undefined && { reference: request.reference }),
  };
}
