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
 * Routes read values through `read(c, field)`, which calls `guard.read` with the route's
 * purpose and the session's actor.
 *
 * @module
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createGuard, isPurposeBoundError, verifyAuditLog, type Guard, type PersonalField, type PurposeBoundErrorCode, type PurposeIdOf } from 'purpose-bound';
import { ji4pePolicy, type Ji4pePolicy } from '../ji4pe/policy.js';

/** A purpose of the ji4pe policy. */
export type Purpose = PurposeIdOf<Ji4pePolicy>;

/** What the app's existing session store knows about a signed-in user. */
export interface SessionUser {
  /** Stable staff id, e.g. `staff:aiko`; recorded as the actor of every read. */
  readonly actor: string;
  readonly role: 'staff' | 'dpo';
}

/**
 * Where member data lives. `vault.read(subject, field)` from purpose-bound's storage layer has
 * exactly this shape; the example's in-memory directory stands in for the app's database.
 */
export interface MemberDirectory {
  /** The member's field as a `PersonalField`, or `undefined` when there is no such member. */
  read(subject: string, field: 'name' | 'email' | 'dateOfBirth'): Promise<PersonalField<unknown, string, string> | undefined>;
}

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
  readonly members: MemberDirectory;
  readonly guard?: Guard<Ji4pePolicy>;
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

/** Create the app around a guard over the ji4pe policy. */
export function createApp(options: AppOptions): { app: Hono<Env>; guard: Guard<Ji4pePolicy> } {
  const guard = options.guard ?? createGuard({ policy: ji4pePolicy });
  const log = options.log ?? ((line: LogLine) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const app = new Hono<Env>();

  /** Read a member's field for the route's purpose, as the session's actor. */
  async function read(c: Context<Env>, subject: string, field: 'name' | 'email' | 'dateOfBirth'): Promise<unknown> {
    const value = await options.members.read(subject, field);
    if (value === undefined) throw new MemberNotFound();
    return guard.read(value, { purpose: c.get('purpose'), actor: c.get('user').actor });
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
    const result = await verifyAuditLog(guard.audit);
    const denied = (await guard.audit.entries({ decision: 'deny' })).length;
    return c.json({ ...result, denied });
  });

  app.onError((error, c) => {
    if (error instanceof MemberNotFound) {
      c.set('code', 'SUBJECT_NOT_FOUND');
      return c.json({ error: 'SUBJECT_NOT_FOUND' }, 404);
    }
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

  return { app, guard };
}

class MemberNotFound extends Error {}

/** An in-memory member directory: values wrapped by the policy as they are stored. */
export function createMemberDirectory(members: Record<string, { name: string; email: string; dateOfBirth: string }>): MemberDirectory {
  const rows = new Map<string, Record<'name' | 'email' | 'dateOfBirth', PersonalField<unknown, string, string>>>();
  for (const [subject, m] of Object.entries(members)) {
    rows.set(subject, {
      name: ji4pePolicy.wrap('name', m.name, { subject }),
      email: ji4pePolicy.wrap('email', m.email, { subject }),
      dateOfBirth: ji4pePolicy.wrap('dateOfBirth', m.dateOfBirth, { subject }),
    });
  }
  return {
    async read(subject, field) {
      return rows.get(subject)?.[field];
    },
  };
}
