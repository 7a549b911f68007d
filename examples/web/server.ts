/**
 * Run the web example: `npm run web` (listens on 127.0.0.1, port `PORT`, default 3000).
 *
 * Environment: `PB_WEB_DATABASE_URL` / `DATABASE_URL` (PostgreSQL), `PB_WEB_DATA_DIR` (PGlite
 * on disk), `PURPOSE_BOUND_KEYS` (keyring), `PB_WEB_STAFF_PASSWORD` and `PB_WEB_SESSION_SECRET`
 * (generated and printed when unset: example use only). See README.md.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createVault } from 'purpose-bound';
import { ji4pePolicy } from '../ji4pe/policy.js';
import { createWebApp } from './app.js';
import { storageFromEnv, WebConfigError } from './config.js';

async function main(): Promise<void> {
  let storage;
  try {
    storage = storageFromEnv();
  } catch (error) {
    if (error instanceof WebConfigError) {
      process.stderr.write(`web example: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  for (const w of storage.warnings) process.stderr.write(`WARNING: ${w}\n`);
  const vault = await createVault({ policy: ji4pePolicy, adapter: storage.adapter, keyring: storage.keyring });

  let staffPassword = process.env['PB_WEB_STAFF_PASSWORD'] ?? '';
  if (staffPassword === '') {
    staffPassword = randomBytes(12).toString('base64url');
    process.stderr.write(`WARNING: PB_WEB_STAFF_PASSWORD is not set; staff password for this run: ${staffPassword}\n`);
  }
  const sessionSecret = process.env['PB_WEB_SESSION_SECRET'] || randomBytes(32).toString('base64url');
  const { app } = createWebApp({ vault, keyring: storage.keyring, staffPassword, sessionSecret });

  const port = Number(process.env['PORT'] ?? 3000);
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`ji4pe web example on http://127.0.0.1:${info.port}/apply (storage: ${storage.description})\n`);
  });
  const stop = (): void => {
    server.close(() => {
      void vault.close().then(() => process.exit(0));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
