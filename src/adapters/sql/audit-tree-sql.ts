/**
 * The audit tree in the SQL adapters: the head row's columns (`seq`, `hash`, `frontier`,
 * `legacy_size`), the `pb_audit_node` table of completed subtrees, and the schema-2 migration
 * that seals a schema-1 hash chain as the tree's first leaves.
 *
 * @module
 */
import { auditLeafData, type AuditEntry } from '../../audit/audit-entry.js';
import { CompactRange, hashLeaf, type TreeNodeRef } from '../../audit/merkle.js';
import type { StoredTreeNode } from '../../audit/tree-append.js';
import { IntegrityError } from '../../errors.js';
import type { AuditTreeHead } from '../../storage/adapter.js';
import type { SqlDialect, SqlValue } from './dialect.js';
import type { SqlExecutor, SqlRow } from './executor.js';
import { AUDIT_SELECT_COLUMNS, toAudit } from './audit-rows.js';

/** @internal the frontier column: the hashes concatenated, largest subtree first. */
export function encodeFrontier(frontier: readonly string[]): string {
  const text = frontier.join('');
  if (Object.isFrozen(frontier)) lastDecoded = { text, frontier };
  return text;
}

/**
 * The frontier text last written or read here, with its hashes: the head row an append reads
 * back is usually the one the previous append wrote, and its text then needs no validation or
 * splitting again (equal text, equal hashes).
 */
let lastDecoded: { readonly text: string; readonly frontier: readonly string[] } | undefined;

/** @internal the head row as an `AuditTreeHead`. @throws IntegrityError when malformed */
export function treeHeadFromRow(r: SqlRow | undefined): AuditTreeHead {
  if (r === undefined) throw new IntegrityError('the audit head row is missing (pb_audit_head was tampered with)');
  const size = Number(r['seq']);
  const text = String(r['frontier'] ?? '');
  if (!Number.isSafeInteger(size) || size < 0) throw new IntegrityError('the audit tree head is malformed (pb_audit_head was tampered with)');
  let frontier: readonly string[];
  if (lastDecoded !== undefined && lastDecoded.text === text) frontier = lastDecoded.frontier;
  else {
    if (text.length % 64 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new IntegrityError('the audit tree head is malformed (pb_audit_head was tampered with)');
    const hashes: string[] = [];
    for (let i = 0; i < text.length; i += 64) hashes.push(text.slice(i, i + 64));
    frontier = Object.freeze(hashes);
    lastDecoded = { text, frontier };
  }
  return Object.freeze({ size, lastHash: String(r['hash']), frontier, legacySize: Number(r['legacy_size'] ?? 0) });
}

/** @internal insert stored nodes, a few hundred per statement. */
export async function insertNodes(exec: SqlExecutor, d: SqlDialect, nodes: readonly StoredTreeNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 300) {
    const chunk = nodes.slice(i, i + 300);
    const params: SqlValue[] = [];
    for (const n of chunk) params.push(n.level, n.index, n.hash);
    await exec.run(d.sql(`INSERT INTO ${d.table('pb_audit_node')} (level, idx, hash) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`), params);
  }
}

/** @internal read stored nodes, in the order asked (`undefined` where missing). */
export async function readNodes(exec: SqlExecutor, d: SqlDialect, refs: readonly TreeNodeRef[]): Promise<(string | undefined)[]> {
  const found = new Map<string, string>();
  for (let i = 0; i < refs.length; i += 200) {
    const chunk = refs.slice(i, i + 200);
    const params: SqlValue[] = [];
    for (const r of chunk) params.push(r.level, r.index);
    const rows = await exec.all(d.sql(`SELECT level, idx, hash FROM ${d.table('pb_audit_node')} WHERE ${chunk.map(() => '(level = ? AND idx = ?)').join(' OR ')}`), params);
    for (const row of rows) found.set(`${Number(row['level'])}/${Number(row['idx'])}`, String(row['hash']));
  }
  return refs.map((r) => found.get(`${r.level}/${r.index}`));
}

/** @internal read entries by `seq`, a few hundred per statement, in the order asked (`undefined` where missing). */
export async function readAuditEntries(exec: SqlExecutor, d: SqlDialect, seqs: readonly number[]): Promise<(AuditEntry | undefined)[]> {
  const found = new Map<number, AuditEntry>();
  const wanted = [...new Set(seqs)];
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = await exec.all(d.sql(`SELECT ${AUDIT_SELECT_COLUMNS} FROM ${d.table('pb_audit')} WHERE seq IN (${chunk.map(() => '?').join(', ')})`), chunk);
    for (const row of rows) {
      const entry = toAudit(row);
      found.set(entry.seq, entry);
    }
  }
  return seqs.map((s) => found.get(s));
}

/**
 * @internal migration 2's code: hash every existing (schema-1) entry as a leaf, in `seq` order,
 * store the completed subtrees, and record the compact range and `legacy_size` in the head.
 * The entries, their `hash` and `prevHash` and the head's last hash stay as they are, so the old
 * chain still verifies; from here on every append extends the tree.
 * @throws IntegrityError when the chain has a gap or the head does not match the entries: the
 * log was tampered with before the upgrade (verify and restore it first).
 */
export async function sealLegacyAuditChain(exec: SqlExecutor, d: SqlDialect): Promise<void> {
  const [head] = await exec.all(`SELECT seq FROM ${d.table('pb_audit_head')} WHERE id = 1`, []);
  if (head === undefined) throw new IntegrityError('the audit head row is missing; the schema-1 audit chain cannot be sealed into the tree');
  const range = new CompactRange();
  let nodes: StoredTreeNode[] = [];
  const page = d.sql(`SELECT ${AUDIT_SELECT_COLUMNS} FROM ${d.table('pb_audit')} WHERE seq > ? ORDER BY seq LIMIT 5000`);
  for (;;) {
    const rows = await exec.all(page, [range.size]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const entry = toAudit(row);
      if (entry.seq !== range.size + 1) throw new IntegrityError(`the schema-1 audit chain has a gap before seq ${entry.seq}; verify and restore it before upgrading`);
      range.append(hashLeaf(auditLeafData(entry)), (level, index, hash) => nodes.push({ level, index, hash: hash.toString('hex') }));
    }
    if (nodes.length >= 3000) {
      await insertNodes(exec, d, nodes);
      nodes = [];
    }
  }
  await insertNodes(exec, d, nodes);
  if (Number(head['seq']) !== range.size) throw new IntegrityError('the audit head does not match the schema-1 entries; verify and restore the log before upgrading');
  await exec.run(d.sql(`UPDATE ${d.table('pb_audit_head')} SET frontier = ?, legacy_size = ? WHERE id = 1`), [
    encodeFrontier(range.frontier().map((h) => h.toString('hex'))),
    range.size,
  ]);
}
