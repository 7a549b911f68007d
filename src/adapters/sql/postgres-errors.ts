/**
 * Classification of PostgreSQL errors (server through `pg`, and PGlite): SQLSTATE classes and
 * Node network errors. Driver messages are never passed on: PostgreSQL echoes input values in
 * many of them (`invalid input syntax for type integer: "…"`, `Key (id)=(…) already exists`).
 *
 * @module
 */
import type { DriverFailure } from './executor.js';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/** Unavailable: connection exceptions (08), operator intervention (57P0x), invalid authorisation (28), missing database (3D000). */
function unavailableState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('28') || code === '3D000' || code === '53300';
}

/** Messages of pg/PGlite for a dead or closed connection (they carry no values). */
const CLOSED =
  /(PGlite is closed|Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|connection timeout|timeout exceeded when trying to connect|Client was closed|Connection refused|not queryable)/i;

/** @internal classify an error of `pg` or PGlite. */
export function classifyPostgresError(error: unknown): DriverFailure {
  const e = error as { code?: unknown; message?: unknown; constraint?: unknown; table?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code !== undefined && NETWORK.has(code)) return { kind: 'unavailable', code, safeMessage: `network error ${code}` };
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    if (unavailableState(code)) return { kind: 'unavailable', code };
    if (code === '40001' || code === '40P01') return { kind: 'retry', code };
    if (code === '55P03') return { kind: 'conflict', code };
    // Only identifiers: a constraint and table name never hold a value.
    const where = [typeof e?.constraint === 'string' ? `constraint ${e.constraint}` : '', typeof e?.table === 'string' ? `table ${e.table}` : ''].filter(Boolean).join(', ');
    return { kind: 'error', code, ...(where && { safeMessage: where }) };
  }
  const closed = CLOSED.exec(message);
  if (closed) return { kind: 'unavailable', safeMessage: closed[1] ?? 'connection closed' };
  return { kind: 'error' };
}
