/**
 * `vault.records`: the records of the features built on the vault (data-subject requests,
 * provision records, the retention sweep's pending erasures), read and written through the
 * vault rather than its adapter, so that every layer talks only to the one below it. Writes
 * run in one transaction with their audit entries, under the lock of the subject they concern;
 * the vault's own kinds (consents, suspensions, erasures) are refused here: they change only
 * through the vault and its guard.
 *
 * @module
 */
import { InvalidArgumentError, SubjectNotFoundError } from '../errors.js';
import { assertSubjectId } from '../policy/define-policy.js';
import type { RecordRow, StorageTransaction } from '../storage/adapter.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import type { VaultContext } from './context.js';
import { isVaultRecordKind } from './record-kinds.js';

/**
 * What a `vault.records.transaction` callback may do: the record and audit methods of a
 * storage transaction, all committed together or not at all.
 *
 * @example
 * ```ts
 * await vault.records.transaction(subject, async (tx) => {
 *   await tx.putRecord({ kind: 'notice-sent', id: 'n1', subjectId: subject, createdAt: new Date().toISOString(), doc: '{}' });
 *   await tx.appendAudit({ at: new Date().toISOString(), action: 'notice.sent', actor: 'mailer', subject, decision: 'record' });
 * });
 * ```
 */
export type RecordTransaction = Pick<StorageTransaction, 'getRecord' | 'listRecords' | 'putRecord' | 'deleteRecord' | 'appendAudit'>;

/**
 * The records of a vault's features (see the module docs).
 *
 * @example
 * ```ts
 * const provisions = await vault.records.list('provision', { subject });
 * ```
 */
export interface VaultRecords {
  /** One record, or `undefined`. */
  get(kind: string, id: string): Promise<RecordRow | undefined>;
  /** Records of a kind (of one subject when given), ordered by createdAt then id. */
  list(kind: string, options?: { readonly subject?: string }): Promise<readonly RecordRow[]>;
  /**
   * Run `fn` in one transaction (retried on a conflict), holding the lock of `subject` (which
   * must exist, erased or not: `SubjectNotFoundError` otherwise) so that changes about one person
   * serialise; `undefined` for records about no one.
   *
   * @throws SubjectNotFoundError, InvalidArgumentError (a vault kind written)
   */
  transaction<T>(subject: string | undefined, fn: (tx: RecordTransaction) => Promise<T>): Promise<T>;
}

function assertKind(kind: unknown, argument: string): asserts kind is string {
  if (typeof kind !== 'string' || kind === '') throw new InvalidArgumentError(argument, 'must be a record kind');
}

function assertFeatureKind(kind: unknown, argument: string): asserts kind is string {
  assertKind(kind, argument);
  if (isVaultRecordKind(kind)) throw new InvalidArgumentError(argument, `"${kind}" records change only through the vault and its guard`);
}

/** @internal `vault.records` over the vault's context. */
export function vaultRecords(ctx: VaultContext): VaultRecords {
  const { adapter } = ctx;
  return Object.freeze({
    get(kind: string, id: string) {
      assertKind(kind, 'kind');
      return adapter.transaction((tx) => tx.getRecord(kind, id), { readOnly: true });
    },
    async list(kind: string, options: { readonly subject?: string } = {}) {
      assertKind(kind, 'kind');
      if (options.subject !== undefined) assertSubjectId(options.subject, 'options.subject');
      const rows = await adapter.transaction((tx) => tx.listRecords(kind, options.subject === undefined ? {} : { subjectId: options.subject }), { readOnly: true });
      return Object.freeze(rows);
    },
    async transaction<T>(subject: string | undefined, fn: (tx: RecordTransaction) => Promise<T>): Promise<T> {
      if (subject !== undefined) assertSubjectId(subject, 'subject');
      if (typeof fn !== 'function') throw new InvalidArgumentError('fn', 'must be a function');
      return retryOnConflict(() =>
        adapter.transaction(async (tx) => {
          if (subject !== undefined && (await tx.getSubject(subject, { forUpdate: true })) === undefined) throw new SubjectNotFoundError(subject);
          const rtx: RecordTransaction = Object.freeze({
            getRecord: (kind: string, id: string) => tx.getRecord(kind, id),
            listRecords: (kind: string, options?: { readonly subjectId?: string }) => tx.listRecords(kind, options),
            putRecord: (row: RecordRow) => {
              assertFeatureKind(row?.kind, 'row.kind');
              return tx.putRecord(row);
            },
            deleteRecord: (kind: string, id: string) => {
              assertFeatureKind(kind, 'kind');
              return tx.deleteRecord(kind, id);
            },
            appendAudit: (entry: Parameters<StorageTransaction['appendAudit']>[0]) => tx.appendAudit(entry),
          });
          return fn(rtx);
        }),
      );
    },
  });
}
