/**
 * @internal Requests as adapter records: kind `request` holds each request; kind `request-open`
 * indexes the open ones (by subject), so overdue listing and the retention sweep's hold check
 * read only open requests. Both change in the same transaction.
 *
 * @module
 */
import { IntegrityError } from '../errors.js';
import { FEATURE_RECORD_KINDS } from '../vault/record-kinds.js';
import type { RecordRow } from '../storage/adapter.js';
import type { RecordTransaction } from '../vault/records.js';
import { RequestNotFoundError } from './errors.js';
import { OPEN_STATES, type DataSubjectRequest } from './request.js';

/** Record kind of requests. */
export const REQUEST_KIND = FEATURE_RECORD_KINDS.request;
/** Record kind of the open-request index. */
export const OPEN_REQUEST_KIND = FEATURE_RECORD_KINDS.openRequest;

/** @internal parse a stored request. */
export function parseRequest(row: RecordRow): DataSubjectRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(row.doc);
  } catch {
    throw new IntegrityError(`stored request record "${row.id}" is not JSON`);
  }
  if (typeof doc !== 'object' || doc === null || (doc as { id?: unknown }).id !== row.id || typeof (doc as { state?: unknown }).state !== 'string') {
    throw new IntegrityError(`stored request record "${row.id}" is not a request`);
  }
  return Object.freeze(doc as DataSubjectRequest);
}

/** @internal a stored request, or `RequestNotFoundError` when there is none. */
export function parseStoredRequest(id: string, row: RecordRow | undefined): DataSubjectRequest {
  if (row === undefined) throw new RequestNotFoundError(id);
  return parseRequest(row);
}

/** @internal read a request in a transaction. @throws RequestNotFoundError */
export async function loadRequest(tx: RecordTransaction, id: string): Promise<DataSubjectRequest> {
  return parseStoredRequest(id, await tx.getRecord(REQUEST_KIND, id));
}

/** @internal write a request and keep the open index in step. */
export async function saveRequest(tx: RecordTransaction, request: DataSubjectRequest): Promise<void> {
  await tx.putRecord({ kind: REQUEST_KIND, id: request.id, subjectId: request.subject, createdAt: request.receivedAt, doc: JSON.stringify(request) });
  if (OPEN_STATES.has(request.state)) {
    await tx.putRecord({
      kind: OPEN_REQUEST_KIND,
      id: request.id,
      subjectId: request.subject,
      createdAt: request.receivedAt,
      doc: JSON.stringify({ id: request.id, kind: request.kind, dueAt: request.dueAt, state: request.state }),
    });
  } else {
    await tx.deleteRecord(OPEN_REQUEST_KIND, request.id);
  }
}
