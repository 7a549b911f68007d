/**
 * A subject's value state: which version of each field's value is current, kept in the subject
 * row (`SubjectRow.valueState`) and authenticated with a key derived from the subject's data key
 * (HMAC-SHA-256). Every write of a value moves the field's version on, in the same transaction
 * that writes the value; a read accepts only the current version (`openStoredValue`).
 *
 * What it detects: a value row put back from `pb_history` or from a backup while the subject row
 * stays current (the state still names the newer version), with or without the version column
 * edited (the version read is the one bound into the ciphertext's associated data), and an
 * edited state (it no longer authenticates). What it cannot detect at read: the subject row AND
 * its values rolled back together to an older consistent snapshot (a restored backup of the
 * subject); for that, compare the versions with the audit log's value-write entries
 * (`verifyValueVersions`). See docs/security.md, "Replayed and rolled-back values".
 *
 * Text layout (JSON): `{"v":1,"f":{field:version},"d":{field:lastVersion},"c":true,"mac":hex}`:
 * `f` the live fields, `d` the deleted ones (so a re-added field continues its count and a
 * deleted value put back is refused), `c` whether the state covers every value of the subject
 * (true for subjects created with it and after `rotateKeys` re-encrypted the old-format values;
 * false for a subject of an older release that was written since, until then).
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { IntegrityError } from '../errors.js';
import type { SubjectRow, ValueRow } from '../storage/adapter.js';
import { sortedKeys } from '../util/canonical-json.js';
import type { DataKey } from './value-cipher.js';

/** @internal the authenticated content of a subject's value state. */
export interface ValueState {
  /** Current version of each field that has a value. */
  readonly live: ReadonlyMap<string, number>;
  /** Last version of each field whose value was deleted. */
  readonly deleted: ReadonlyMap<string, number>;
  /** Every value of the subject is covered (no format-1 value may be current). */
  readonly complete: boolean;
}

interface StateJson {
  readonly v: 1;
  readonly f: Record<string, number>;
  readonly d: Record<string, number>;
  readonly c: boolean;
  readonly mac: string;
}

function mac(dk: DataKey, subject: string, body: Omit<StateJson, 'mac'>): Buffer {
  return createHmac('sha256', dk.stateKey).update(`purpose-bound/value-state/v1\0${subject}\0`, 'utf8').update(canonicalStateBody(body), 'utf8').digest();
}

/** The canonical JSON of a map of field versions (keys sorted as `canonicalJson` sorts them; the values are integers). */
function canonicalVersions(versions: Readonly<Record<string, number>>): string {
  const keys = sortedKeys(versions);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${versions[key]}`;
  }
  return `${out}}`;
}

/**
 * @internal `canonicalJson(body)` of a value state's body, written for its one shape (the keys
 * c, d, f, v in order; the versions integers): what the MAC covers.
 */
export function canonicalStateBody(body: {
  readonly v: 1;
  readonly f: Readonly<Record<string, number>>;
  readonly d: Readonly<Record<string, number>>;
  readonly c: boolean;
}): string {
  return `{"c":${body.c},"d":${canonicalVersions(body.d)},"f":${canonicalVersions(body.f)},"v":${body.v}}`;
}

function versions(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((n) => Number.isSafeInteger(n) && (n as number) >= 1);
}

/**
 * @internal the value state of a subject row: `undefined` for a subject of an older release that
 * has none (its values are format 1 and read without a version check).
 * @throws IntegrityError when the state is malformed or does not authenticate (edited, or moved from another subject)
 */
export function readValueState(dk: DataKey, subject: SubjectRow): ValueState | undefined {
  const text = subject.valueState;
  if (text === undefined || text === null) return undefined;
  // The result is a function of the data key, the subject id and the exact text: a row read
  // again with the same state (the common case: the data key comes from the vault's cache)
  // needs no second HMAC.
  const known = dk.verifiedState;
  if (known !== undefined && known.subject === subject.id && known.text === text) return known.state;
  const state = verifyValueState(dk, subject.id, text);
  dk.verifiedState = { subject: subject.id, text, state };
  return state;
}

/** @internal the last state a data key sealed or verified: the exact text, for which subject, and what it says. */
export interface VerifiedValueState {
  readonly subject: string;
  readonly text: string;
  readonly state: ValueState;
}

function verifyValueState(dk: DataKey, subject: string, text: string): ValueState {
  let json: StateJson;
  try {
    json = JSON.parse(text) as StateJson;
  } catch {
    throw new IntegrityError("the subject's value state is not valid", { subject });
  }
  if (json?.v !== 1 || !versions(json.f) || !versions(json.d) || typeof json.c !== 'boolean' || typeof json.mac !== 'string' || !/^[0-9a-f]{64}$/.test(json.mac)) {
    throw new IntegrityError("the subject's value state is not valid", { subject });
  }
  const expected = mac(dk, subject, { v: 1, f: json.f, d: json.d, c: json.c });
  if (!timingSafeEqual(expected, Buffer.from(json.mac, 'hex'))) {
    throw new IntegrityError("the subject's value state failed authentication (edited, or copied from another subject)", { subject });
  }
  return Object.freeze({ live: new Map(Object.entries(json.f)), deleted: new Map(Object.entries(json.d)), complete: json.c });
}

/**
 * @internal the version a read must find for `field`: a number, `'deleted'` or `'none'` (no
 * current value may exist), or `'legacy-or-none'` (a format-1 value is accepted: the state does
 * not cover the field, or the subject has no state).
 */
export function expectedValueVersion(state: ValueState | undefined, field: string): number | 'deleted' | 'none' | 'legacy-or-none' {
  if (state === undefined) return 'legacy-or-none';
  const live = state.live.get(field);
  if (live !== undefined) return live;
  if (state.deleted.has(field)) return 'deleted';
  return state.complete ? 'none' : 'legacy-or-none';
}

/**
 * The value versions of one subject during one write: reads the authenticated state once, hands
 * out the next version of each field written, records deletions, and seals the new state for
 * the subject row written in the same transaction.
 *
 * @internal
 * @example
 * ```ts no-check
 * const versions = valueVersions(dk, row);           // row: the subject row, locked for update
 * const v = versions.next('email', oldRow);          // oldRow: the current value row, if any
 * await tx.putValue({ ...valueRow, ciphertext: encryptValue(dk, row.id, 'email', v, value), version: v });
 * await tx.updateSubject({ ...row, version: row.version + 1, valueState: versions.seal() }, row.version);
 * ```
 */
export interface ValueVersions {
  /** The version to write `field` at (and record it): one more than its current or last deleted version. */
  next(field: string, current: ValueRow | undefined): number;
  /** Record that `field`'s value was deleted. */
  delete(field: string): void;
  /** Whether anything was recorded since the state was read. */
  readonly changed: boolean;
  /** The sealed text of the state with every change recorded (for `SubjectRow.valueState`). */
  seal(): string;
}

/**
 * @internal start the value versions of a write on `subject` (a new subject: `undefined`, or a
 * row). A new subject's state is complete; an older release's subject gets a partial one.
 * @throws IntegrityError when the row's state does not authenticate
 */
export function valueVersions(dk: DataKey, subjectId: string, subject: SubjectRow | undefined): ValueVersions {
  const state = subject === undefined ? undefined : readValueState(dk, subject);
  const live = new Map(state?.live ?? []);
  const deleted = new Map(state?.deleted ?? []);
  const complete = subject === undefined ? true : (state?.complete ?? false);
  let changed = false;
  return {
    next(field, current) {
      // An older release's value (no state entry) continues from its version column.
      const legacy = state === undefined || !(live.has(field) || deleted.has(field)) ? (current?.version ?? 0) : 0;
      const version = Math.max(live.get(field) ?? 0, deleted.get(field) ?? 0, legacy) + 1;
      live.set(field, version);
      deleted.delete(field);
      changed = true;
      return version;
    },
    delete(field) {
      const last = live.get(field);
      live.delete(field);
      deleted.set(field, last ?? deleted.get(field) ?? 1);
      changed = true;
    },
    get changed() {
      return changed;
    },
    seal() {
      return sealValueState(dk, subjectId, live, deleted, complete);
    },
  };
}

/** @internal the sealed text of a value state. */
export function sealValueState(dk: DataKey, subjectId: string, live: ReadonlyMap<string, number>, deleted: ReadonlyMap<string, number>, complete: boolean): string {
  const f = Object.fromEntries(live);
  const d = Object.fromEntries(deleted);
  // The stored text: the body's members in the order v, f, d, c, then its MAC (over the body's
  // canonical JSON); written out directly rather than through a spread and a second object.
  const text = `{"v":1,"f":${JSON.stringify(f)},"d":${JSON.stringify(d)},"c":${complete},"mac":"${mac(dk, subjectId, { v: 1, f, d, c: complete }).toString('hex')}"}`;
  // What this key just sealed needs no verification when it is read back unchanged.
  dk.verifiedState = { subject: subjectId, text, state: Object.freeze({ live: new Map(live), deleted: new Map(deleted), complete }) };
  return text;
}
