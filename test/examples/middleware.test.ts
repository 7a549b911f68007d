/**
 * The Hono middleware example served on 127.0.0.1 (ephemeral port) and hit with fetch:
 * actor from the session, purpose per route, a denied read as 403 with the code, suspension
 * enforced, the audit chain intact, and no personal value in any log line or error body.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, openMemberVault, type LogLine, type SessionUser } from '../../examples/hono-middleware/app.js';

const HANA = { name: 'Hana Sato', email: 'hana@example.jp', dateOfBirth: '1990-04-12', address: '1-2-3 Chiyoda, Tokyo', phone: '03-1234-5678' };
const KENJI = { name: 'Kenji Ito', email: 'kenji@example.jp', dateOfBirth: '1985-11-30', address: '4-5-6 Kita-ku, Osaka', phone: '06-2345-6789' };
const STAFF = 'staff-session-token';
const DPO = 'dpo-session-token';

const logs: LogLine[] = [];
const { app, vault } = createApp({
  sessions: new Map<string, SessionUser>([
    [STAFF, { actor: 'staff:aiko', role: 'staff' }],
    [DPO, { actor: 'dpo:ken', role: 'dpo' }],
  ]),
  vault: await openMemberVault({ 'member-1': HANA, 'member-2': KENJI }),
  log: (line) => logs.push(line),
});
const auditLog = vault.audit;

let server: ServerType;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  await vault.close();
});

function get(path: string, session?: string, method = 'GET'): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: session ? { cookie: `sid=${session}` } : {} });
}

describe('hono middleware example', () => {
  it('refuses requests without a session before reading anything', async () => {
    const before = (await auditLog.entries()).length;
    const res = await get('/members/member-1/contact');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'UNAUTHENTICATED' });
    expect((await auditLog.entries()).length).toBe(before);
  });

  it('serves reads for the route purpose, attributed to the session actor', async () => {
    const contact = await get('/members/member-1/contact', STAFF);
    expect(contact.status).toBe(200);
    expect(await contact.json()).toEqual({ name: HANA.name, email: HANA.email });
    const insurance = await get('/members/member-2/insurance', STAFF);
    expect(await insurance.json()).toEqual({ name: KENJI.name, dateOfBirth: KENJI.dateOfBirth });

    const reads = await auditLog.entries({ action: 'read', decision: 'allow' });
    expect(reads.map((e) => [e.actor, e.subject, e.field, e.purpose])).toEqual([
      ['staff:aiko', 'member-1', 'name', 'contact'],
      ['staff:aiko', 'member-1', 'email', 'contact'],
      ['staff:aiko', 'member-2', 'name', 'eventInsurance'],
      ['staff:aiko', 'member-2', 'dateOfBirth', 'eventInsurance'],
    ]);
  });

  it('turns a read for a purpose the field does not allow into 403 with the code, and audits the denial', async () => {
    const res = await get('/members/member-1/birthday-greeting', STAFF);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: 'PURPOSE_NOT_ALLOWED', field: 'dateOfBirth', purpose: 'contact' });
    expect(body).not.toContain(HANA.dateOfBirth);
    const [denial] = await auditLog.entries({ decision: 'deny' });
    expect(denial).toMatchObject({ actor: 'staff:aiko', subject: 'member-1', field: 'dateOfBirth', purpose: 'contact', reason: 'PURPOSE_NOT_ALLOWED' });
  });

  it('enforces a suspension of use on the next request; other purposes and people are unaffected', async () => {
    const suspend = await get('/members/member-1/suspend-contact', STAFF, 'POST');
    expect(suspend.status).toBe(201);
    const res = await get('/members/member-1/contact', STAFF);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'USE_SUSPENDED', field: 'name', purpose: 'contact' });
    expect((await get('/members/member-1/insurance', STAFF)).status).toBe(200);
    expect((await get('/members/member-2/contact', STAFF)).status).toBe(200);
  });

  it('answers 404 for an unknown member and lets only the DPO verify the audit chain', async () => {
    const missing = await get('/members/nobody/contact', STAFF);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'SUBJECT_NOT_FOUND' });
    expect((await get('/audit/verify', STAFF)).status).toBe(403);
    const audit = await get('/audit/verify', DPO);
    expect(audit.status).toBe(200);
    const result = (await audit.json()) as { valid: boolean; entries: number; denied: number };
    // Three denials, each audited: the birthday greeting, the suspended contact, and the read of
    // a member the vault does not hold (decided like any other read).
    expect(result).toMatchObject({ valid: true, denied: 3 });
    expect((await auditLog.entries({ decision: 'deny' })).map((e) => [e.subject, e.field, e.reason])).toEqual([
      ['member-1', 'dateOfBirth', 'PURPOSE_NOT_ALLOWED'],
      ['member-1', 'name', 'USE_SUSPENDED'],
      ['nobody', 'name', 'SUBJECT_NOT_FOUND'],
    ]);
    expect(result.entries).toBe((await auditLog.entries()).length);
  });

  it('logs every request with actor, route pattern, purpose and code, and never a value or a subject id', () => {
    const text = JSON.stringify(logs);
    for (const value of [...Object.values(HANA), ...Object.values(KENJI)]) expect(text).not.toContain(value);
    expect(text).not.toContain('member-1');
    expect(logs).toContainEqual({ method: 'GET', path: '/members/:id/birthday-greeting', status: 403, actor: 'staff:aiko', purpose: 'contact', code: 'PURPOSE_NOT_ALLOWED' });
    expect(logs).toContainEqual({ method: 'GET', path: '/members/:id/contact', status: 200, actor: 'staff:aiko', purpose: 'contact' });
    // Refused by the session middleware: the pattern of the last route reached.
    expect(logs).toContainEqual({ method: 'GET', path: '/members/*', status: 401 });
    expect(logs.length).toBe(11);
  });
});
