/**
 * The ji4pe web example: a course application form that shows the notice at collection, a page
 * where a person makes requests about their data (disclosure, correction, deletion, suspension,
 * erasure), and a staff page that moves the requests along. Everything personal goes through
 * the vault (encrypted) and the request desk (audited); pages escape every value; log lines hold
 * route patterns, ids and codes only.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import {
  createRequestDesk,
  IdentityNotVerifiedError,
  InvalidPersonalValueError,
  isOverdue,
  isPurposeBoundError,
  renderDisclosure,
  renderRequestNotice,
  renderNotice,
  type DataSubjectRequest,
  type Disclosure,
  type DueDates,
  type Keyring,
  type Lang,
  type RequestDesk,
  type Vault,
} from 'purpose-bound';
import { ji4pePolicy, type Ji4pePolicy } from '../ji4pe/policy.js';
import { accessCodeVerifier, issueAccessCode, subjectOfCode, type AccessCodeEvidence } from './access-codes.js';
import { sealedBoxes } from './sealed-box.js';
import {
  appliedPage,
  applyPage,
  FORM_FIELDS,
  messagePage,
  myRequestPage,
  myRequestsPage,
  requestsPage,
  STAFF_REJECTIONS,
  staffLoginPage,
  staffPage,
  STYLESHEET,
  WEB_REQUEST_KINDS,
  type FormField,
  type FormValues,
  type WebRequestKind,
} from './views.js';

/** One access-log line: route pattern, status, ids and codes. Never a value. */
export interface WebLogLine {
  readonly method: string;
  /** The matched route pattern (`/me/requests/:id`), not the path. */
  readonly route: string;
  readonly status: number;
  readonly actor?: string;
  readonly request?: string;
  /** An error or outcome code. */
  readonly code?: string;
  /** Names of the form fields that failed validation. */
  readonly invalid?: readonly string[];
}

/** Options of {@link createWebApp}. */
export interface WebAppOptions {
  readonly vault: Vault<Ji4pePolicy>;
  /** The vault's keyring: it also wraps the keys of the app's sealed boxes. */
  readonly keyring: Keyring;
  /** The staff password (example only: one shared password). */
  readonly staffPassword: string;
  /** Secret that signs the session cookies (at least 32 characters). */
  readonly sessionSecret: string;
  /** Where log lines go; default one JSON line on stdout. */
  readonly log?: (line: WebLogLine) => void;
  readonly clock?: () => Date;
  /** Time to answer requests; default `P14D`. */
  readonly dueIn?: DueDates;
  /** Set the `Secure` flag on cookies (behind HTTPS). Default false: the example listens on 127.0.0.1 over HTTP. */
  readonly secureCookies?: boolean;
}

type Env = { Variables: { actor: string; request: string; code: string; invalid: readonly string[] } };

const PERSON_COOKIE = 'pb_person';
const STAFF_COOKIE = 'pb_staff';
const PERSON_SESSION_MS = 30 * 60_000;
const STAFF_SESSION_MS = 8 * 3_600_000;
/** How long a disclosure report or a pending correction is held (encrypted). */
const BOX_DAYS = 30;
const STAFF_ID = /^[a-z][a-z0-9_-]{0,31}$/;

const STATUS: Record<string, 400 | 403 | 404 | 409 | 410 | 422> = {
  INVALID_ARGUMENT: 400,
  INVALID_PERSONAL_VALUE: 422,
  REQUEST_NOT_FOUND: 404,
  SUBJECT_NOT_FOUND: 404,
  REQUEST_STATE: 409,
  IDENTITY_NOT_VERIFIED: 403,
  SUBJECT_ERASED: 410,
  ALREADY_ERASED: 409,
};

function langOf(value: unknown): Lang {
  return value === 'en' ? 'en' : 'ja';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * Create the web app over a vault of the ji4pe policy.
 *
 * @param options - the vault, the staff password, the cookie secret, a log sink and a clock
 * @returns the Hono app and the request desk it uses
 */
export function createWebApp(options: WebAppOptions): { readonly app: Hono<Env>; readonly desk: RequestDesk<Ji4pePolicy, AccessCodeEvidence> } {
  const { vault } = options;
  if (options.sessionSecret.length < 32) throw new Error('sessionSecret must be at least 32 characters');
  if (options.staffPassword.length < 12) throw new Error('staffPassword must be at least 12 characters');
  const clock = options.clock ?? (() => new Date());
  const policy = vault.policy;
  const guard = vault.guard();
  const desk = createRequestDesk({ vault, verifier: accessCodeVerifier(vault.adapter), clock, ...(options.dueIn !== undefined && { dueIn: options.dueIn }) });
  // Correction values waiting for staff, disclosure reports waiting for the person: encrypted.
  const corrections = sealedBoxes<Partial<Record<FormField, string>>>(vault.adapter, options.keyring, 'correction');
  const disclosures = sealedBoxes<Disclosure>(vault.adapter, options.keyring, 'disclosure');
  const log = options.log ?? ((line: WebLogLine) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const cookieBase = { httpOnly: true, sameSite: 'Strict', path: '/', secure: options.secureCookies ?? false } as const;
  const app = new Hono<Env>();

  // Access log first, so it also sees what the later middleware refuses.
  app.use('*', async (c, next) => {
    await next();
    const line: WebLogLine = {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ...(c.get('actor') !== undefined && { actor: c.get('actor') }),
      ...(c.get('request') !== undefined && { request: c.get('request') }),
      ...(c.get('code') !== undefined && { code: c.get('code') }),
      ...(c.get('invalid') !== undefined && { invalid: c.get('invalid') }),
    };
    log(line);
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  app.use('*', csrf());
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('payload too large', 413) }));
  app.use('*', async (c, next) => {
    await next();
    // Pages may hold personal values: never cached by the browser or a proxy.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  async function personSubject(c: Context<Env>): Promise<string | undefined> {
    const v = await getSignedCookie(c, options.sessionSecret, PERSON_COOKIE);
    if (typeof v !== 'string') return undefined;
    const [subject, exp] = v.split('|');
    return subject && Number(exp) > clock().getTime() ? subject : undefined;
  }

  async function startPersonSession(c: Context<Env>, subject: string): Promise<void> {
    await setSignedCookie(c, PERSON_COOKIE, `${subject}|${clock().getTime() + PERSON_SESSION_MS}`, options.sessionSecret, { ...cookieBase, maxAge: PERSON_SESSION_MS / 1000 });
  }

  async function staffActor(c: Context<Env>): Promise<string | undefined> {
    const v = await getSignedCookie(c, options.sessionSecret, STAFF_COOKIE);
    if (typeof v !== 'string') return undefined;
    const [actor, exp] = v.split('|');
    return actor && Number(exp) > clock().getTime() ? actor : undefined;
  }

  const overdue = (r: DataSubjectRequest): boolean => isOverdue(r, clock());
  const boxExpiry = (): Date => new Date(clock().getTime() + BOX_DAYS * 86_400_000);

  function notice(lang: Lang): string {
    return renderNotice(policy, { kind: 'collection', collectionPoint: 'courseApplication', lang, format: 'html', idPrefix: 'notice-' });
  }

  app.get('/', (c) => c.redirect('/apply'));
  app.get('/assets/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  // ---- Course application --------------------------------------------------------------------
  app.get('/apply', (c) => {
    const lang = langOf(c.req.query('lang'));
    return c.html(applyPage({ lang, noticeHtml: notice(lang), noticeVersion: policy.version }));
  });

  app.post('/apply', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(form['lang']);
    const values: FormValues = { prefillConsent: text(form['prefillConsent']) === 'yes' ? 'yes' : '' };
    for (const f of FORM_FIELDS) values[f] = text(form[f]).trim();
    const rerender = (status: 409 | 422, errors: readonly FormField[], noticeChanged = false) => {
      c.set('invalid', errors);
      return c.html(applyPage({ lang, noticeHtml: notice(lang), noticeVersion: policy.version, values, errors, noticeChanged }), status);
    };
    // The person must have been shown the notice now in force (APPI Art. 21).
    const shown = text(form['noticeVersion']);
    if (shown !== policy.version) {
      c.set('code', 'NOTICE_CHANGED');
      return rerender(409, [], true);
    }
    // Every field is checked before anything is stored, so the form names all problems at once.
    const errors = FORM_FIELDS.filter((f) => values[f] === '' || !policy.field(f).schema.safeParse(values[f]).success);
    if (errors.length > 0) {
      c.set('code', 'INVALID_PERSONAL_VALUE');
      return rerender(422, errors);
    }
    let subject: string;
    try {
      ({ subject } = await vault.collect({
        collectionPoint: 'courseApplication',
        actor: 'web:apply',
        noticeVersion: shown,
        values: Object.fromEntries(FORM_FIELDS.map((f) => [f, values[f] ?? ''])) as Record<FormField, string>,
      }));
    } catch (error) {
      if (error instanceof InvalidPersonalValueError && (FORM_FIELDS as readonly string[]).includes(error.field)) {
        c.set('code', error.code);
        return rerender(422, [error.field as FormField]);
      }
      throw error;
    }
    if (values.prefillConsent === 'yes') {
      await guard.grantConsent({ subject, purpose: 'applicationPrefill', actor: 'web:apply', noticeVersion: shown, method: 'web-form-checkbox' });
    }
    const code = await issueAccessCode(vault.adapter, subject);
    c.set('code', 'APPLIED');
    return c.html(appliedPage(lang, code), 201);
  });

  // ---- Requests by the person ----------------------------------------------------------------
  app.get('/requests', async (c) => {
    const lang = langOf(c.req.query('lang'));
    return c.html(requestsPage({ lang, signedIn: (await personSubject(c)) !== undefined }));
  });

  app.post('/requests', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(form['lang']);
    const code = text(form['code']);
    const kind = text(form['kind']) as WebRequestKind;
    const field = text(form['field']);
    const value = text(form['value']).trim();
    const fail = async (error: 'code' | 'field' | 'value', status: 400 | 401 | 422) => {
      c.set('code', error === 'code' ? 'ACCESS_CODE_UNKNOWN' : 'INVALID_REQUEST_FORM');
      return c.html(requestsPage({ lang, error, signedIn: (await personSubject(c)) !== undefined }), status);
    };
    if (!(WEB_REQUEST_KINDS as readonly string[]).includes(kind)) return fail('field', 400);
    const subject = await subjectOfCode(vault.adapter, code);
    if (subject === undefined) return fail('code', 401);
    const needsField = kind === 'correction' || kind === 'deletion';
    if (needsField && !(FORM_FIELDS as readonly string[]).includes(field)) return fail('field', 422);
    if (kind === 'correction' && (value === '' || !policy.field(field).schema.safeParse(value).success)) return fail('value', 422);
    const request = await desk.receive({
      kind,
      subject,
      actor: 'web:self-service',
      channel: 'web-form',
      ...(needsField && { fields: [field as FormField] }),
      ...(kind === 'suspension' && { purposes: 'all' as const }),
    });
    c.set('request', request.id);
    if (kind === 'correction') {
      // The new value is not stored on the request: it waits, encrypted, until staff apply it.
      await corrections.put({ id: request.id, subject, value: { [field]: value }, expiresAt: boxExpiry() });
    }
    // 本人確認: the code the person just presented, checked by the desk's verifier.
    await desk.verifyIdentity(request.id, { actor: 'web:self-service', evidence: { code } });
    await startPersonSession(c, subject);
    return c.redirect(`/me/requests/${request.id}?lang=${lang}`, 303);
  });

  app.post('/me/session', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(form['lang']);
    const subject = await subjectOfCode(vault.adapter, text(form['code']));
    if (subject === undefined) {
      c.set('code', 'ACCESS_CODE_UNKNOWN');
      return c.html(requestsPage({ lang, error: 'code', signedIn: false }), 401);
    }
    await startPersonSession(c, subject);
    return c.redirect(`/me?lang=${lang}`, 303);
  });

  app.post('/me/sign-out', async (c) => {
    const lang = langOf((await c.req.parseBody())['lang']);
    deleteCookie(c, PERSON_COOKIE, { path: '/' });
    return c.redirect(`/requests?lang=${lang}`, 303);
  });

  app.get('/me', async (c) => {
    const lang = langOf(c.req.query('lang'));
    const subject = await personSubject(c);
    if (subject === undefined) return c.redirect(`/requests?lang=${lang}`, 303);
    return c.html(myRequestsPage(lang, await desk.list({ subject }), overdue));
  });

  app.get('/me/requests/:id', async (c) => {
    const lang = langOf(c.req.query('lang'));
    const subject = await personSubject(c);
    if (subject === undefined) return c.redirect(`/requests?lang=${lang}`, 303);
    const id = c.req.param('id');
    // Someone else's request is "not found", exactly like a request that does not exist.
    const request = (await desk.list({ subject })).find((r) => r.id === id);
    if (request === undefined) {
      c.set('code', 'REQUEST_NOT_FOUND');
      return c.html(messagePage(lang, '404', langOf(lang) === 'ja' ? 'ページが見つかりません。' : 'Not found.'), 404);
    }
    c.set('request', request.id);
    let report: string | undefined;
    if (request.kind === 'disclosure' && request.state === 'completed') {
      const disclosure = await disclosures.get(request.id, subject, clock());
      // Belt and braces: the report must be about the signed-in person.
      if (disclosure !== undefined && disclosure.subject === subject) report = renderDisclosure(disclosure, { lang, format: 'html' });
    }
    // The answer letter (Arts. 32(2), 34(3), 35(7), 36), escaped by the SDK's renderer.
    if (report === undefined && request.kind !== 'disclosure' && (request.state === 'completed' || request.state === 'rejected')) {
      report = renderRequestNotice(policy, request, { lang, format: 'html' });
    }
    return c.html(myRequestPage(lang, request, report));
  });

  // ---- Staff ---------------------------------------------------------------------------------
  app.get('/staff', async (c) => {
    const lang = langOf(c.req.query('lang'));
    const actor = await staffActor(c);
    if (actor === undefined) return c.html(staffLoginPage(lang, false));
    c.set('actor', actor);
    const requests = [...(await desk.list())].reverse();
    const msg = c.req.query('msg');
    return c.html(staffPage({ lang, actor, requests, isOverdue: overdue, ...(msg !== undefined && /^[A-Z_]{1,40}$/.test(msg) && { notice: msg }) }));
  });

  app.post('/staff/login', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(form['lang']);
    const id = text(form['staffId']).trim().toLowerCase();
    if (!STAFF_ID.test(id) || !sameSecret(text(form['password']), options.staffPassword)) {
      c.set('code', 'STAFF_LOGIN_FAILED');
      return c.html(staffLoginPage(lang, true), 401);
    }
    const actor = `staff:${id}`;
    c.set('actor', actor);
    await setSignedCookie(c, STAFF_COOKIE, `${actor}|${clock().getTime() + STAFF_SESSION_MS}`, options.sessionSecret, { ...cookieBase, maxAge: STAFF_SESSION_MS / 1000 });
    return c.redirect(`/staff?lang=${lang}`, 303);
  });

  app.post('/staff/sign-out', async (c) => {
    const lang = langOf((await c.req.parseBody())['lang']);
    deleteCookie(c, STAFF_COOKIE, { path: '/' });
    return c.redirect(`/staff?lang=${lang}`, 303);
  });

  app.post('/staff/requests/:id/:action', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(form['lang']);
    const actor = await staffActor(c);
    if (actor === undefined) {
      c.set('code', 'UNAUTHENTICATED');
      return c.html(staffLoginPage(lang, false), 401);
    }
    c.set('actor', actor);
    const id = c.req.param('id');
    c.set('request', id);
    const back = (msg: string) => {
      c.set('code', msg);
      return c.redirect(`/staff?lang=${lang}&msg=${msg}`, 303);
    };
    const request = await desk.get(id);
    switch (c.req.param('action')) {
      case 'verify':
        try {
          await desk.verifyIdentity(id, { actor, evidence: { code: text(form['code']) } });
        } catch (error) {
          if (error instanceof IdentityNotVerifiedError) return back('IDENTITY_NOT_VERIFIED');
          throw error;
        }
        return back('VERIFIED');
      case 'reject': {
        const reason = text(form['reason']);
        if (!Object.hasOwn(STAFF_REJECTIONS, reason)) return back('INVALID_REASON');
        const base = STAFF_REJECTIONS[reason as keyof typeof STAFF_REJECTIONS];
        const extra = text(form['explanation']).trim().slice(0, 1000);
        await desk.reject(id, {
          actor,
          reason: reason as keyof typeof STAFF_REJECTIONS,
          explanation: extra === '' ? base : { en: `${base.en} ${extra}`, ja: `${base.ja} ${extra}` },
        });
        await corrections.delete(id);
        return back('REJECTED');
      }
      case 'complete':
        return back(await complete(request, actor));
      default:
        c.set('code', 'UNKNOWN_ACTION');
        return c.html(messagePage(lang, '404', 'Not found.'), 404);
    }
  });

  /** Carry out a verified request; returns an outcome code for the staff page. */
  async function complete(request: DataSubjectRequest, actor: string): Promise<string> {
    switch (request.kind) {
      case 'disclosure': {
        const disclosure = await desk.disclose(request.id, { actor });
        // Handed to the person through their own page; held encrypted meanwhile, never logged.
        await disclosures.put({ id: request.id, subject: request.subject, value: disclosure, expiresAt: boxExpiry() });
        return 'DISCLOSED';
      }
      case 'correction': {
        const values = await corrections.get(request.id, request.subject, clock());
        if (values === undefined) return 'CORRECTION_VALUE_MISSING';
        await desk.correct(request.id, { actor, values });
        await corrections.delete(request.id);
        return 'CORRECTED';
      }
      case 'deletion':
        await desk.deleteValues(request.id, { actor });
        return 'DELETED';
      case 'suspension':
        await desk.suspend(request.id, { actor, reason: 'request by the person (web form)' });
        return 'SUSPENDED';
      case 'erasure':
        await desk.erase(request.id, { actor });
        // Reports and pending values of the person go too (they are unreadable already when the
        // keyring is backup-proof: their keys were bound to the subject's shredded secret).
        await disclosures.deleteSubject(request.subject);
        await corrections.deleteSubject(request.subject);
        return 'ERASED';
      // APPI Art. 32(2) and 35(3): request kinds of issue #14.
      case 'purposes-notification':
        await desk.notifyPurposes(request.id, { actor });
        return 'PURPOSES_NOTIFIED';
      case 'stop-provision':
        await desk.stopProvision(request.id, { actor });
        return 'PROVISION_STOPPED';
      default:
        return 'UNSUPPORTED_KIND';
    }
  }

  app.notFound((c) => {
    c.set('code', 'NOT_FOUND');
    return c.html(messagePage(langOf(c.req.query('lang')), '404', 'Not found.'), 404);
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      // Refusals by Hono's middleware: a cross-site form post (CSRF check), a malformed body.
      const code = error.status === 403 ? 'CROSS_SITE_REQUEST' : `HTTP_${error.status}`;
      c.set('code', code);
      return c.html(messagePage(langOf(c.req.query('lang')), String(error.status), code), error.status);
    }
    const code = isPurposeBoundError(error) ? error.code : 'INTERNAL';
    c.set('code', code);
    // The page names the code only: never an error message (it could name an id or a field value).
    return c.html(messagePage(langOf(c.req.query('lang')), code, code === 'INTERNAL' ? 'Something went wrong.' : `Error: ${code}`), STATUS[code] ?? 500);
  });

  return { app, desk };
}
