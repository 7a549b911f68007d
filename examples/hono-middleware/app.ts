/**
 * Putting the purpose guard into an existing web app's request handling, with Hono.
 *
 * The app already has sessions (a cookie naming a signed-in staff member) and routes that read
 * member data. Three small pieces of middleware add purpose limitation without touching the
 * route logic much:
 *
 * 1. `actorFromSession`: the signed-in user becomes the guard's `actor` (every read is
 *    attributed, APPI Art. 24 supervision of staff);
 * 2. `forPurpose(purpose)`: each route declares the purpose it serves;
 * 3. `onError`: a denied read becomes `403` with the error's stable `code`, and the log line
 *    holds ids and codes, never a value.
 *
 * Routes read values through `read(c, subject, field)`, which calls
 * `vault.read(subject, field, { purpose, actor })` with the route's purpose and the session's
 * actor: one call, decided against the member's stored state (consents, suspensions, erasure),
 * audited, and only then decrypted.
 *
 * @module
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createLocalKeyring, createVault, generateKey, isPurposeBoundError, verifyAuditLog, type PurposeBoundErrorCode, type PurposeIdOf, type Vault } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy, type Ji4pePolicy } from '../ji4pe/policy.js';

/** A purpose of the ji4pe policy. */
export type Purpose = PurposeIdOf<Ji4pePolicy>;

/** What the app's existing session store knows about a signed-in user. */
export interface SessionUser {
  /** Stable staff id, e.g. `staff:aiko`; recorded as the actor of every read. */
  readonly actor: string;
  readonly role: 'staff' | 'dpo';
}

/** A field of a member the routes read. */
export type MemberField = 'name' | 'email' | 'dateOfBirth';

/** A purpose some member field may be read for within its purposes (what `vault.read` takes). */
type ReadPurpose = Parameters<Vault<Ji4pePolicy>['read']>[2]['purpose'];

/** One structured log line: ids, purposes and codes only. */
export interface LogLine {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly actor?: string;
  readonly purpose?: string;
  readonly code?: string;
}

/** Options of {@link createApp}. */
export interface AppOptions {
  readonly sessions: ReadonlyMap<string, SessionUser>;
  /** Where member data lives: a vault of the ji4pe policy, on any adapter. */
  readonly vault: Vault<Ji4pePolicy>;
  /** Where log lines go; default one JSON line on stdout. */
  readonly log?: (line: LogLine) => void;
}

type Env = { Variables: { user: SessionUser; purpose: Purpose; code: string } };

/** HTTP status for each refusal the guard can give; anything else is a 500. */
const STATUS: Partial<Record<PurposeBoundErrorCode, 400 | 403 | 404 | 410>> = {
  PURPOSE_NOT_ALLOWED: 403,
  CONSENT_REQUIRED: 403,
  USE_SUSPENDED: 403,
  EXCEPTION_NOT_PERMITTED: 403,
  SUBJECT_ERASED: 410,
  SUBJECT_NOT_FOUND: 404,
  UNKNOWN_PURPOSE: 400,
  INVALID_ARGUMENT: 400,
  INVALID_PERSONAL_VALUE: 400,
};

/** Middleware: the session's user becomes the actor; no session, no access. */
export function actorFromSession(sessions: ReadonlyMap<string, SessionUser>): MiddlewareHandler<Env> {
  return async (c, next) => {
    const token = getCookie(c, 'sid');
    const user = token === undefined ? undefined : sessions.get(token);
    if (!user) return c.json({ error: 'UNAUTHENTICATED' }, 401);
    c.set('user', user);
    await next();
  };
}

/** Middleware: the purpose a route serves. Declared once per route, checked on every read. */
export function forPurpose(purpose: Purpose): MiddlewareHandler<Env> {
  return async (c, next) => {
    c.set('purpose', purpose);
    await next();
  };
}

/** Create the app around a vault of the ji4pe policy; its guard records suspensions. */
export function createApp(options: AppOptions): { app: Hono<Env>; vault: Vault<Ji4pePolicy> } {
  const { vault } = options;
  const guard = vault.guard();
  const log = options.log ?? ((line: LogLine) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const app = new Hono<Env>();

  /**
   * Read a member's field for the route's purpose, as the session's actor. The purpose comes
   * from the request context, so the compile-time purpose check cannot apply here (hence the
   * cast); the vault's run-time check does, on every read, and a refusal is audited.
   */
  async function read(c: Context<Env>, subject: string, field: MemberField): Promise<unknown> {
    return vault.read(subject, field, { purpose: c.get('purpose') as ReadPurpose, actor: c.get('user').actor });
  }

  // Access log: one line per request, written after the handler (or onError) has run.
  app.use('*', async (c, next) => {
    await next();
    const code = c.get('code');
    const user = c.get('user') as SessionUser | undefined;
    const purpose = c.get('purpose') as Purpose | undefined;
    log({
      method: c.req.method,
      path: c.req.routePath, // the matched route's pattern (`/members/:id/contact`): ids in paths are not logged
      status: c.res.status,
      ...(user && { actor: user.actor }),
      ...(purpose && { purpose }),
      ...(code && { code }),
    });
  });
  app.use('/members/*', actorFromSession(options.sessions));
  app.use('/audit/*', actorFromSession(options.sessions));

  // Contacting a member about a course: name and e-mail are allowed for `contact`.
  app.get('/members/:id/contact', forPurpose('contact'), async (c) => {
    const id = c.req.param('id');
    return c.json({ name: await read(c, id, 'name'), email: await read(c, id, 'email') });
  });

  // Insuring an event: name and date of birth go to the insurer for `eventInsurance`.
  app.get('/members/:id/insurance', forPurpose('eventInsurance'), async (c) => {
    const id = c.req.param('id');
    return c.json({ name: await read(c, id, 'name'), dateOfBirth: await read(c, id, 'dateOfBirth') });
  });

  // A feature someone added later: birthday greetings under `contact`. The policy never
  // announced date of birth for contact, so the guard refuses: 403 PURPOSE_NOT_ALLOWED.
  app.get('/members/:id/birthday-greeting', forPurpose('contact'), async (c) => {
    const id = c.req.param('id');
    const dob = (await read(c, id, 'dateOfBirth')) as string;
    return c.json({ greetOn: dob.slice(5) });
  });

  // The person asked to stop contact (APPI Art. 35); staff record it, the guard enforces it.
  app.post('/members/:id/suspend-contact', async (c) => {
    const rec = await guard.suspend({ subject: c.req.param('id'), purposes: ['contact'], actor: c.get('user').actor, reason: 'request by the person' });
    return c.json({ suspension: rec.id }, 201);
  });

  // The manager's check of the audit trail (§15): the data protection officer only.
  app.get('/audit/verify', async (c) => {
    if (c.get('user').role !== 'dpo') {
      c.set('code', 'FORBIDDEN_ROLE');
      return c.json({ error: 'FORBIDDEN_ROLE' }, 403);
    }
    const result = await verifyAuditLog(vault.audit);
    const denied = (await vault.audit.entries({ decision: 'deny' })).length;
    return c.json({ ...result, denied });
  });

  app.onError((error, c) => {
    if (isPurposeBoundError(error)) {
      c.set('code', error.code);
      const status = STATUS[error.code] ?? 500;
      const details = error as { field?: unknown; purpose?: unknown };
      // The body names the code, field and purpose: never the value, never the message of an
      // error from elsewhere.
      return c.json(
        {
          error: error.code,
          ...(typeof details.field === 'string' && { field: details.field }),
          ...(typeof details.purpose === 'string' && { purpose: details.purpose }),
        },
        status,
      );
    }
    c.set('code', 'INTERNAL');
    return c.json({ error: 'INTERNAL' }, 500);
  });

  return { app, vault };
}

/** What a member gave on the event application form (every field of it is required). */
export interface MemberValues {
  readonly name: string;
  readonly email: string;
  readonly dateOfBirth: string;
  readonly address: string;
  readonly phone: string;
}

/**
 * A vault of example members, in memory with a fresh keyring: each member collected under their
 * member id at the event application form. An app opens its vault on its own database and
 * keyring instead (`pgliteAdapter`, `postgresAdapter`, `localKeyringFromEnv`).
 */
export async function openMemberVault(members: Readonly<Record<string, MemberValues>>): Promise<Vault<Ji4pePolicy>> {
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });
  const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring });
  for (const [subject, values] of Object.entries(members)) {
    await vault.collect({ subject, collectionPoint: 'eventApplication', actor: 'import', values });
  }
  return vault;
}
