/**
 * Rows the fault-injection tests write: every one carries a recognisable secret, so a test can
 * assert that no error message, cause or log ever shows it.
 *
 * @module
 */
import type { AuditEntryInput, SubjectRow, ValueRow } from 'purpose-bound';

/** The text planted in every row; it must never appear in an error. */
export const SECRET = 'SECRET-4711';

export const subject = (id: string, version = 1): SubjectRow => ({
  id,
  keyId: 'kek-1',
  wrappedKey: new Uint8Array([9, 8, 7]),
  createdAt: '2026-12-01T00:00:00.000Z',
  erasedAt: null,
  erasureRef: null,
  version,
});

export const value = (subjectId: string, field: string): ValueRow => ({
  subjectId,
  field,
  ciphertext: new Uint8Array(Buffer.from(SECRET)),
  lookup: `lookup-${SECRET}`,
  meta: JSON.stringify({ note: SECRET }),
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
});

export const audit = (actor = 'staff'): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor, decision: 'record' });
