/**
 * Key rotation: re-wrap every live subject's data key under the keyring's current
 * key-encryption key, page by page, reporting (not stopping at) subjects that cannot be
 * re-wrapped.
 *
 * @module
 */
import { needsRewrap, upgradeValues } from '../crypto/subject-upgrade.js';
import { importDataKey } from '../crypto/value-cipher.js';
import { PurposeBoundError } from '../errors.js';
import type { SubjectRow } from '../storage/adapter.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertObject, assertText, type VaultContext } from './context.js';

/** Subjects per transaction. */
const PAGE = 200;

/** @internal `vault.rotateKeys`. */
export async function rotateKeys(
  ctx: VaultContext,
  input: { readonly actor: string },
): Promise<{ readonly rewrapped: number; readonly failed: readonly { readonly subject: string; readonly code: string }[] }> {
  const { adapter, keyring: kr, keyCache, audit } = ctx;
  assertObject(input, 'input');
  assertText(input.actor, 'input.actor', 200);
  const target = kr.currentKeyId;
  let rewrapped = 0;
  let notUpgraded = 0;
  const failed: { subject: string; code: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await retryOnConflict(() =>
      adapter.transaction(async (tx) => {
        const subjects = await tx.listSubjects({ ...(after !== undefined && { after }), limit: PAGE });
        let n = 0;
        const pageFailed: { subject: string; code: string }[] = [];
        for (const listed of subjects) {
          // Another KEK, or (backup-proof keyring) a data key wrapped by the KEK alone.
          if (!needsRewrap(kr, listed)) continue;
          const row = await tx.getSubject(listed.id, { forUpdate: true });
          if (row === undefined || row.wrappedKey === null || !needsRewrap(kr, row)) continue;
          let wrappedKey: Uint8Array;
          let valueState: string | undefined;
          try {
            const bytes = await kr.unwrapKey(row.keyId, row.wrappedKey, row.id);
            // Values of an older release (format 1, no complete value state) are re-encrypted
            // with their versions bound in, under the same data key.
            const upgrade = await upgradeValues(tx, importDataKey(new Uint8Array(bytes)), row);
            if (upgrade.failed) notUpgraded++;
            valueState = upgrade.valueState;
            wrappedKey = await kr.wrapKey(target, bytes, row.id);
            bytes.fill(0);
          } catch (error) {
            // One unreadable subject (a missing KEK, a damaged key) must not stop the others;
            // it is reported, and its old KEK must stay until it is resolved.
            if (!(error instanceof PurposeBoundError)) throw error;
            pageFailed.push(Object.freeze({ subject: row.id, code: error.code }));
            continue;
          }
          await tx.updateSubject({ ...row, keyId: target, wrappedKey, version: row.version + 1, ...(valueState !== undefined && { valueState }) }, row.version);
          n++;
        }
        return { subjects, n, pageFailed };
      }),
    );
    rewrapped += page.n;
    failed.push(...page.pageFailed);
    if (page.subjects.length < PAGE) break;
    after = (page.subjects[page.subjects.length - 1] as SubjectRow).id;
  }
  keyCache.clear();
  await audit.append({
    at: ctx.clock().toISOString(),
    action: 'keys.rotate',
    actor: input.actor,
    decision: 'record',
    details: { keyId: target, rewrapped, failed: failed.length, ...(notUpgraded > 0 && { valuesNotUpgraded: notUpgraded }) },
  });
  return Object.freeze({ rewrapped, failed: Object.freeze(failed) });
}
