/**
 * Storage and keys of the web example, from the environment:
 *
 * - `PB_WEB_DATABASE_URL` (or `DATABASE_URL`): PostgreSQL through `pg` (schema `PB_WEB_DB_SCHEMA`,
 *   default `pb_web`, so the example never mixes its tables with another app's);
 * - else `PB_WEB_DATA_DIR`: PGlite in that directory (kept across restarts);
 * - else PGlite in memory (everything is gone when the process ends).
 *
 * Keys: `PURPOSE_BOUND_KEYS` (see `localKeyringFromEnv`). Without it the example generates a
 * keyring for this process only, with a warning, and refuses to start on persistent storage
 * (data written under a key that dies with the process could never be read again).
 *
 * @module
 */
import { createLocalKeyring, generateKey, localKeyringFromEnv, memorySubjectSecrets, type Keyring, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';

/** What {@link storageFromEnv} chose. */
export interface WebStorage {
  readonly adapter: StorageAdapter;
  readonly keyring: Keyring;
  /** One line for the start-up banner: which database, never a password. */
  readonly description: string;
  /** Things the operator must know (generated keys...). */
  readonly warnings: readonly string[];
}

/** Thrown when the environment asks for something unsafe; the message says what to set. */
export class WebConfigError extends Error {
  override readonly name = 'WebConfigError';
}

/**
 * Choose the adapter and keyring from environment variables.
 *
 * @param env - default `process.env`
 * @throws WebConfigError when storage is persistent but no keys are configured
 */
export function storageFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): WebStorage {
  const warnings: string[] = [];
  const url = env['PB_WEB_DATABASE_URL'] || env['DATABASE_URL'];
  const dataDir = env['PB_WEB_DATA_DIR'];
  let adapter: StorageAdapter;
  let description: string;
  let persistent: boolean;
  if (url) {
    const schema = env['PB_WEB_DB_SCHEMA'] || 'pb_web';
    adapter = postgresAdapter({ connectionString: url, schema });
    description = `PostgreSQL ${redact(url)} (schema ${schema})`;
    persistent = true;
  } else if (dataDir) {
    adapter = pgliteAdapter({ dataDir });
    description = `PGlite in ${dataDir}`;
    persistent = true;
  } else {
    adapter = pgliteAdapter();
    description = 'PGlite in memory (set PB_WEB_DATA_DIR or PB_WEB_DATABASE_URL to keep data)';
    persistent = false;
  }
  let keyring: Keyring;
  if (env['PURPOSE_BOUND_KEYS']) {
    keyring = localKeyringFromEnv('PURPOSE_BOUND_KEYS', env);
  } else {
    if (persistent) {
      throw new WebConfigError(
        'persistent storage needs persistent keys: set PURPOSE_BOUND_KEYS, e.g. ' +
          '`PURPOSE_BOUND_KEYS="kek-1:$(openssl rand -base64 32);index=$(openssl rand -base64 32);secrets=./keys/subjects"`',
      );
    }
    keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
    warnings.push('PURPOSE_BOUND_KEYS is not set: generated keys for this process only (example use; data is unreadable after exit)');
  }
  return { adapter, keyring, description, warnings };
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
