/**
 * Session cookies that cannot stand in for one another. Each cookie is signed (HMAC-SHA256, by
 * Hono's signed cookies) with its own key, derived from the app's session secret with HKDF and
 * the cookie's name as context, and its value starts with the cookie's role. A `pb_person`
 * value copied into `pb_staff` fails the signature check under the staff key; were the keys
 * ever shared, the role prefix would still refuse it.
 *
 * @module
 */
import { hkdfSync } from 'node:crypto';

/** The key that signs one cookie, from the app's session secret and the cookie's name. */
export function cookieKey(sessionSecret: string, cookieName: string): string {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'purpose-bound web example', `cookie ${cookieName}`, 32)).toString('base64url');
}

/** `role|id|expires-ms`: what a session cookie holds (no personal value: a subject or staff id). */
export function sessionValue(role: 'person' | 'staff', id: string, expiresAt: number): string {
  return `${role}|${id}|${expiresAt}`;
}

/** The id in a session value of this role that has not expired, or `undefined`. */
export function parseSessionValue(value: unknown, role: 'person' | 'staff', now: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split('|');
  if (parts.length !== 3 || parts[0] !== role) return undefined;
  const [, id, exp] = parts;
  return id && /^\d{1,16}$/.test(exp ?? '') && Number(exp) > now ? id : undefined;
}
