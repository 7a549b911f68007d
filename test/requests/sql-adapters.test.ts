/**
 * The data-subject request suite on the SQL adapters: PGlite (one instance for the file, a
 * schema per test), SQLite (a temporary file per test, so WAL and file locking are real) and
 * PostgreSQL (a schema per test; fails, never skips, when the server is unreachable).
 */
import { runRequestsSuite } from 'purpose-bound/testing';
import { freshSqlAdapters } from '../adapters/support/fresh-sql-adapters.js';

const sql = freshSqlAdapters('req');

runRequestsSuite({ name: 'pglite', createAdapter: sql.pglite });
runRequestsSuite({ name: 'sqlite', createAdapter: sql.sqlite });
runRequestsSuite({ name: 'postgres', createAdapter: sql.postgres });
