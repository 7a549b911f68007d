/**
 * Run the middleware example: `npx tsx examples/hono-middleware/server.ts` (PORT, default 8787).
 * Prints two demo session cookies and the requests to try.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createApp, openMemberVault, type SessionUser } from './app.js';

const staff = randomBytes(16).toString('hex');
const dpo = randomBytes(16).toString('hex');
const sessions = new Map<string, SessionUser>([
  [staff, { actor: 'staff:aiko', role: 'staff' }],
  [dpo, { actor: 'dpo:ken', role: 'dpo' }],
]);
const vault = await openMemberVault({
  'member-1': { name: 'Hana Sato', email: 'hana@example.jp', dateOfBirth: '1990-04-12', address: '1-2-3 Chiyoda, Tokyo', phone: '03-1234-5678' },
  'member-2': { name: 'Kenji Ito', email: 'kenji@example.jp', dateOfBirth: '1985-11-30', address: '4-5-6 Kita-ku, Osaka', phone: '06-2345-6789' },
});
const { app } = createApp({ sessions, vault });

const port = Number(process.env.PORT ?? 8787);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  const base = `http://127.0.0.1:${info.port}`;
  process.stdout.write(
    [
      `listening on ${base}`,
      `curl -b sid=${staff} ${base}/members/member-1/contact             # 200`,
      `curl -b sid=${staff} ${base}/members/member-1/birthday-greeting   # 403 PURPOSE_NOT_ALLOWED`,
      `curl -b sid=${staff} -X POST ${base}/members/member-1/suspend-contact`,
      `curl -b sid=${staff} ${base}/members/member-1/contact             # now 403 USE_SUSPENDED`,
      `curl -b sid=${dpo} ${base}/audit/verify`,
      '',
    ].join('\n'),
  );
});
