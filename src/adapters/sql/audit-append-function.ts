/**
 * `pb_audit_append(batch text)`: the PostgreSQL (server and PGlite) function that appends a
 * batch of audit entries in ONE statement under ONE lock of the head row. For each entry it
 * computes, as the memory and SQLite adapters do in JavaScript (`extendTree`):
 *
 * - its hash, the RFC 6962 leaf hash `sha256('\x00' || prevHash || '\n' || prefix || seq || suffix)`
 *   (prefix and suffix are the entry's canonical JSON around its `seq`, built in JavaScript by
 *   `auditHashParts`, the code every adapter hashes with);
 * - the new compact range (the head's `frontier`) and every perfect subtree the append
 *   completes (rows of `pb_audit_node`, so proofs read O(log n) stored hashes);
 *
 * then inserts the entries and nodes with one INSERT each and moves the head once. With
 * `lazy_commit` the statement's own commit does not wait for the WAL flush (so the head row's
 * lock, which serialises every appender of every process, is held for the execution only, not
 * for an fsync); the adapter then runs `auditSyncStatement` (a synchronous commit, which
 * flushes the WAL up to and past the batch) before it tells any caller. `batch` is a
 * JSON array of `[prefix, suffix, at, action, actor, subject, field, purpose, decision, entry]`.
 * A missing head row or a frontier that does not fit the head's size raises SQLSTATE `PBA01`
 * (reported as an `IntegrityError`). The JavaScript verifier recomputes everything this
 * function writes, so a database that computes differently is caught, not trusted.
 *
 * @module
 */
import type { SqlDialect } from './dialect.js';

/** @internal SQLSTATE the function raises for a missing or inconsistent head. */
export const AUDIT_HEAD_SQLSTATE = 'PBA01';

/** @internal the qualified name of the function. */
export function auditAppendFunctionName(d: SqlDialect): string {
  return d.table('pb_audit_append');
}

/** @internal `CREATE OR REPLACE FUNCTION` of the dialect's schema. */
export function auditAppendFunction(d: SqlDialect): string {
  const head = d.table('pb_audit_head');
  return `CREATE OR REPLACE FUNCTION ${auditAppendFunctionName(d)}(batch text, lazy_commit boolean)
RETURNS TABLE (out_seq bigint, out_prev text, out_hash text)
LANGUAGE plpgsql AS $pb$
DECLARE
  h_seq bigint;
  h_hash text;
  h_frontier text;
  fr bytea[];
  items jsonb := batch::jsonb;
  item jsonb;
  i integer := 0;
  k integer := 0;
  lvl integer;
  pos integer := 0;
  idx bigint;
  leaf bytea;
  node bytea;
  seqs bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  nl integer[] := '{}';
  ni bigint[] := '{}';
  nh text[] := '{}';
  new_frontier text := '';
BEGIN
  IF lazy_commit THEN
    -- The caller makes the batch durable itself before anyone is told (see lazyAuditCommit):
    -- the head row's lock is then released at commit, without waiting for the WAL flush.
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  SELECT hd.seq, hd.hash, hd.frontier INTO h_seq, h_hash, h_frontier FROM ${head} hd WHERE hd.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the audit head row is missing' USING ERRCODE = '${AUDIT_HEAD_SQLSTATE}';
  END IF;
  fr := array_fill(NULL::bytea, ARRAY[64]);
  FOR lvl IN REVERSE 62..0 LOOP
    IF (h_seq >> lvl) & 1 = 1 THEN
      IF substr(h_frontier, pos * 64 + 1, 64) !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'the audit tree head does not match its size' USING ERRCODE = '${AUDIT_HEAD_SQLSTATE}';
      END IF;
      fr[lvl + 1] := decode(substr(h_frontier, pos * 64 + 1, 64), 'hex');
      pos := pos + 1;
    END IF;
  END LOOP;
  IF length(h_frontier) <> pos * 64 THEN
    RAISE EXCEPTION 'the audit tree head does not match its size' USING ERRCODE = '${AUDIT_HEAD_SQLSTATE}';
  END IF;
  FOR item IN SELECT e.value FROM jsonb_array_elements(items) WITH ORDINALITY AS e(value, ord) ORDER BY e.ord LOOP
    i := i + 1;
    leaf := sha256('\\x00'::bytea || convert_to(h_hash || E'\\n' || (item->>0) || (h_seq + 1)::text || (item->>1), 'UTF8'));
    seqs[i] := h_seq + 1;
    prevs[i] := h_hash;
    hashes[i] := encode(leaf, 'hex');
    node := leaf;
    lvl := 0;
    idx := h_seq;
    WHILE idx % 2 = 1 LOOP
      node := sha256('\\x01'::bytea || fr[lvl + 1] || node);
      fr[lvl + 1] := NULL;
      lvl := lvl + 1;
      idx := idx / 2;
      k := k + 1;
      nl[k] := lvl;
      ni[k] := idx;
      nh[k] := encode(node, 'hex');
    END LOOP;
    fr[lvl + 1] := node;
    h_seq := h_seq + 1;
    h_hash := hashes[i];
  END LOOP;
  IF i = 0 THEN
    RETURN;
  END IF;
  INSERT INTO ${d.table('pb_audit')} (seq, at, action, actor, subject, field, purpose, decision, prev_hash, hash, entry)
    SELECT a.s, e.value->>2, e.value->>3, e.value->>4, e.value->>5, e.value->>6, e.value->>7, e.value->>8, a.p, a.h, e.value->>9
    FROM jsonb_array_elements(items) WITH ORDINALITY AS e(value, ord)
    JOIN unnest(seqs, prevs, hashes) WITH ORDINALITY AS a(s, p, h, ord) ON a.ord = e.ord;
  IF k > 0 THEN
    INSERT INTO ${d.table('pb_audit_node')} (level, idx, hash) SELECT * FROM unnest(nl, ni, nh);
  END IF;
  FOR lvl IN REVERSE 62..0 LOOP
    IF (h_seq >> lvl) & 1 = 1 THEN
      new_frontier := new_frontier || encode(fr[lvl + 1], 'hex');
    END IF;
  END LOOP;
  UPDATE ${head} SET seq = h_seq, hash = h_hash, frontier = new_frontier WHERE id = 1;
  RETURN QUERY SELECT * FROM unnest(seqs, prevs, hashes);
END
$pb$`;
}

/**
 * @internal a write that commits synchronously without contention (one row per backend), run
 * after a lazily committed batch: PostgreSQL flushes its WAL in order, so when this commit is
 * durable, every commit before it (the batch, and anything else the session saw) is too.
 */
export function auditSyncStatement(d: SqlDialect): string {
  const t = d.table('pb_audit_sync');
  return `INSERT INTO ${t} (pid, n) VALUES (pg_backend_pid(), 1) ON CONFLICT (pid) DO UPDATE SET n = ${t}.n + 1`;
}

/**
 * @internal `pb_audit_sync` housekeeping: its rows are one per backend that ever synced, so the
 * rows of backends that have gone (no longer in `pg_stat_activity`) are deleted, on open and
 * every {@link AUDIT_SYNC_CLEANUP_EVERY} syncs. A live backend's row is never touched, so the
 * delete takes no lock a sync waits for.
 */
export function auditSyncCleanupStatement(d: SqlDialect): string {
  return `DELETE FROM ${d.table('pb_audit_sync')} WHERE pid NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)`;
}

/** @internal syncs of one adapter between two clean-ups of `pb_audit_sync`. */
export const AUDIT_SYNC_CLEANUP_EVERY = 1000;
