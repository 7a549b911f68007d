/**
 * The guard's argument checks: who acts, for which purpose, on which ground. Shared by the
 * standalone guard and the vault's reads, so both refuse the same input with the same
 * `InvalidArgumentError`.
 *
 * @module
 */
import type { AuditEntryInput } from '../audit/audit-entry.js';
import { InvalidArgumentError } from '../errors.js';
import { LEGAL_EXCEPTIONS } from '../legal.js';
import { isStoredText, assertStoredText } from '../util/stored-text.js';

const ACTOR_MAX = 200;

/** @internal a non-empty actor of at most 200 characters. */
export function assertActor(actor: unknown, argument = 'options.actor'): asserts actor is string {
  assertStoredText(actor, argument, ACTOR_MAX, 'a non-empty string naming who acts');
}

/**
 * @internal what a read is asked for, checked: the purpose (unchecked against the policy: an
 * unknown purpose is a denial the guard audits), who reads, and for a read outside the
 * purpose the ground: consent or a legal exception with its reference.
 */
export interface ReadRequest {
  readonly purpose: string;
  readonly actor: string;
  /** `purpose` for a read within the field's purposes; `consent` or `exception:<id>` outside them. */
  readonly basis: string;
  readonly outside: boolean;
  readonly exception?: string;
  readonly reference?: string;
}

function assertOptions(options: unknown): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with purpose and actor');
}

function assertPurposeArg(purpose: unknown): asserts purpose is string {
  if (typeof purpose !== 'string' || purpose === '') throw new InvalidArgumentError('options.purpose', 'must be a purpose id');
}

/** @internal check the options of a read within the purposes (`{ purpose, actor }`). */
export function readRequest(options: unknown): ReadRequest {
  assertOptions(options);
  const actor = options['actor'];
  assertActor(actor);
  const purpose = options['purpose'];
  assertPurposeArg(purpose);
  return { purpose, actor, basis: 'purpose', outside: false };
}

/** @internal check the options of a read outside the purposes (`{ purpose, actor, basis }`). */
export function outsideReadRequest(options: unknown): ReadRequest {
  assertOptions(options);
  const actor = options['actor'];
  assertActor(actor);
  const purpose = options['purpose'];
  assertPurposeArg(purpose);
  const basis = options['basis'];
  if (basis === 'consent') return { purpose, actor, basis: 'consent', outside: true };
  if (typeof basis === 'object' && basis !== null && typeof (basis as { exception?: unknown }).exception === 'string') {
    const exception = (basis as { exception: string }).exception;
    if (!Object.hasOwn(LEGAL_EXCEPTIONS, exception)) {
      throw new InvalidArgumentError('options.basis.exception', `must be one of ${Object.keys(LEGAL_EXCEPTIONS).join(', ')}`);
    }
    const reference = (basis as { reference?: unknown }).reference;
    if (!isStoredText(reference, 500)) {
      throw new InvalidArgumentError('options.basis.reference', 'must name the law, case or request the exception rests on (1-500 characters)');
    }
    return { purpose, actor, basis: `exception:${exception}`, outside: true, exception, reference };
  }
  throw new InvalidArgumentError('options.basis', "must be 'consent' or { exception, reference }");
}

/** @internal check the input of `guard.record` (ids and codes only: the type has no room for values). */
export function checkRecordInput(input: unknown): asserts input is Omit<AuditEntryInput, 'at'> & { readonly at?: string } {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
  const i = input as Record<string, unknown>;
  assertActor(i['actor'], 'input.actor');
  const action = i['action'];
  if (typeof action !== 'string' || action === '' || action.length > 200) throw new InvalidArgumentError('input.action', 'must be a non-empty string of at most 200 characters');
  const decision = i['decision'];
  if (decision !== 'allow' && decision !== 'deny' && decision !== 'record') throw new InvalidArgumentError('input.decision', "must be 'allow', 'deny' or 'record'");
  const at = i['at'];
  if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) throw new InvalidArgumentError('input.at', 'must be an ISO 8601 instant');
  for (const key of ['subject', 'field', 'purpose', 'basis', 'reference', 'reason'] as const) {
    const v = i[key];
    if (v !== undefined && typeof v !== 'string') throw new InvalidArgumentError(`input.${key}`, 'must be a string');
  }
  const details = i['details'];
  if (details !== undefined) {
    if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new InvalidArgumentError('input.details', 'must be an object of ids, counts and flags');
    for (const v of Object.values(details)) {
      if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new InvalidArgumentError('input.details', 'values must be strings, finite numbers, booleans or null');
      }
    }
  }
}
