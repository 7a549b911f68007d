/**
 * `classifyPostgresError`: what a pg or PGlite error becomes (unavailable, retry, conflict,
 * error), first on errors a real PostgreSQL server produces, then on the shapes the server
 * cannot be made to produce on demand.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyPostgresError } from '../../../src/adapters/sql/postgres-errors.js';
import { networkError, pgError } from '../support/faulty-drivers.js';
import { DATABASE_URL, uniqueSchema } from '../support/postgres-env.js';

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
const schema = uniqueSchema('pbe');
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

const caught = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected the statement to fail');
    },
    (e: unknown) => e,
  );

describe('classifyPostgresError on real server errors', () => {
  it('a serialisation failure between two real connections asks for a retry (40001)', async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.t (id INT PRIMARY KEY, n INT NOT NULL, secret TEXT UNIQUE)`);
    await pool.query(`INSERT INTO ${schema}.t VALUES (1, 0, 'SECRET-1')`);
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await a.query(`SELECT n FROM ${schema}.t WHERE id = 1`);
      await b.query(`UPDATE ${schema}.t SET n = n + 1 WHERE id = 1`);
      const error = await caught(a.query(`UPDATE ${schema}.t SET n = n + 1 WHERE id = 1`));
      expect(classifyPostgresError(error)).toEqual({ kind: 'retry', code: '40001' });
    } finally {
      await a.query('ROLLBACK');
      a.release();
      b.release();
    }
  });

  it('a unique violation names only the constraint and table, not the key (23505)', async () => {
    const error = await caught(pool.query(`INSERT INTO ${schema}.t VALUES (2, 0, 'SECRET-1')`));
    expect((error as Error).message + JSON.stringify(error)).toContain('SECRET-1'); // the driver's error does echo it
    expect(classifyPostgresError(error)).toEqual({ kind: 'error', code: '23505', safeMessage: 'constraint t_secret_key, table t' });
  });

  it('invalid input names no value (22P02); a lock that cannot be had is a conflict (55P03)', async () => {
    const error = await caught(pool.query(`SELECT 'SECRET-2'::int`));
    expect(classifyPostgresError(error)).toEqual({ kind: 'error', code: '22P02' });
    const holder = await pool.connect();
    const waiter = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${schema}.t WHERE id = 1 FOR UPDATE`);
      const locked = await caught(waiter.query(`SELECT * FROM ${schema}.t WHERE id = 1 FOR UPDATE NOWAIT`));
      expect(classifyPostgresError(locked)).toEqual({ kind: 'conflict', code: '55P03' });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
      waiter.release();
    }
  });

  it('a missing database (3D000), a refused port (ECONNREFUSED) and a used-up pool are unavailable', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/pb_no_such_database_4711';
    const missing = new pg.Client({ connectionString: url.toString() });
    expect(classifyPostgresError(await caught(missing.connect()))).toEqual({ kind: 'unavailable', code: '3D000' });
    const refused = new pg.Client({ connectionString: 'postgres://u:p@127.0.0.1:1/x' });
    expect(classifyPostgresError(await caught(refused.connect()))).toEqual({ kind: 'unavailable', code: 'ECONNREFUSED', safeMessage: 'network error ECONNREFUSED' });
    const ended = new pg.Pool({ connectionString: DATABASE_URL });
    await ended.end();
    expect(classifyPostgresError(await caught(ended.query('SELECT 1')))).toEqual({ kind: 'unavailable', safeMessage: 'Cannot use a pool after calling end' });
  });
});

describe('classifyPostgresError on the shapes of other failures', () => {
  it.each([
    ['40P01', 'retry'],
    ['08000', 'unavailable'],
    ['08006', 'unavailable'],
    ['08P01', 'unavailable'],
    ['57P01', 'unavailable'],
    ['57P02', 'unavailable'],
    ['57P03', 'unavailable'],
    ['57014', 'error'], // query cancelled: not the database going away
    ['28000', 'unavailable'],
    ['28P01', 'unavailable'],
    ['53300', 'unavailable'],
    ['53200', 'error'], // out of memory: this statement, not the connection
    ['3D000', 'unavailable'],
    ['3F000', 'error'],
    ['55P03', 'conflict'],
    ['55000', 'error'],
    ['40002', 'error'], // integrity constraint violation at commit: not retried
    ['XX000', 'error'],
  ])('SQLSTATE %s is %s', (code, kind) => {
    expect(classifyPostgresError(pgError(code))).toEqual({ kind, code });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED'])(
    'network error %s is unavailable',
    (code) => {
      expect(classifyPostgresError(networkError(code))).toEqual({ kind: 'unavailable', code, safeMessage: `network error ${code}` });
    },
  );

  it('pg and PGlite messages of a closed connection are unavailable, with the matched words only', () => {
    for (const message of [
      'PGlite is closed',
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'Client has encountered a connection error and is not queryable',
      'Cannot use a pool after calling end on the pool',
      'timeout exceeded when trying to connect',
      'Client was closed and is not queryable',
      'connect: Connection refused',
    ]) {
      const f = classifyPostgresError(new Error(`${message} (SECRET-3)`));
      expect(f.kind).toBe('unavailable');
      expect(f.safeMessage).not.toContain('SECRET');
      expect(message.toLowerCase()).toContain(String(f.safeMessage).toLowerCase());
    }
  });

  it('anything else is an error with no code and no text: lower-case or short codes, non-string codes, null', () => {
    expect(classifyPostgresError(Object.assign(new Error('x'), { code: '4000l' }))).toEqual({ kind: 'error' });
    expect(classifyPostgresError(Object.assign(new Error('x'), { code: '4000' }))).toEqual({ kind: 'error' });
    expect(classifyPostgresError(Object.assign(new Error('x'), { code: 'E_SOMETHING' }))).toEqual({ kind: 'error' });
    expect(classifyPostgresError(Object.assign(new Error('x'), { code: 40001 }))).toEqual({ kind: 'error' });
    expect(classifyPostgresError(Object.assign(new Error('x'), { code: 'A40001' }))).toEqual({ kind: 'error' });
    expect(classifyPostgresError(null)).toEqual({ kind: 'error' });
    expect(classifyPostgresError('Connection terminated')).toEqual({ kind: 'error' });
    expect(classifyPostgresError({ message: 42 })).toEqual({ kind: 'error' });
  });

  it('identifiers only when they are strings; a constraint or table alone is named alone', () => {
    expect(classifyPostgresError(pgError('23503', 'm', { constraint: 'fk_x' }))).toEqual({ kind: 'error', code: '23503', safeMessage: 'constraint fk_x' });
    expect(classifyPostgresError(pgError('23502', 'm', { table: 'pb_audit' }))).toEqual({ kind: 'error', code: '23502', safeMessage: 'table pb_audit' });
    expect(classifyPostgresError(Object.assign(pgError('23505'), { constraint: 7, table: null }))).toEqual({ kind: 'error', code: '23505' });
  });
});
