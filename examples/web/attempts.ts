/**
 * Brute-force protection for the two secrets the web example accepts: access codes (a person's)
 * and the shared staff password. Built on `rate-limiter-flexible` (its "login endpoint
 * protection" pattern, in memory):
 *
 * - per client (see `clientKey` in app.ts): after `maxFailures` wrong attempts within
 *   `windowSeconds` the client is locked out for `lockoutSeconds`; while locked out every
 *   attempt is answered 429 with `Retry-After`, *without* checking the secret, so a right guess
 *   during the lockout teaches nothing;
 * - for the staff password, also across all clients (`staffFailuresPerHour`): a password shared
 *   by staff can be guessed from many addresses at once. When that budget is spent, staff
 *   sign-in is closed for everyone for `lockoutSeconds` (an attacker can keep staff out for that
 *   long; that is the price of one shared password: give each member of staff their own).
 *
 * A success clears the client's count. Counters live in this process: several processes behind
 * a load balancer need a shared store (rate-limiter-flexible has PostgreSQL and Redis ones).
 *
 * @module
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Limits on wrong secrets; see the module comment. */
export interface AttemptLimits {
  /** Wrong attempts a client may make within `windowSeconds` (default 5). */
  readonly maxFailures?: number;
  /** Default 900 (15 minutes). */
  readonly windowSeconds?: number;
  /** How long a client (or, for the staff password, everyone) is locked out (default 900). */
  readonly lockoutSeconds?: number;
  /** Wrong staff passwords per hour from all clients together (default 50). */
  readonly staffFailuresPerHour?: number;
}

/** A lockout in force: the seconds to put in `Retry-After`. */
export interface Lockout {
  readonly retryAfterSeconds: number;
}

/** Counts wrong attempts at one secret. */
export interface AttemptGuard {
  /** The lockout in force for this client, if any. Call before checking the secret. */
  lockedOut(client: string): Promise<Lockout | undefined>;
  /** Record a wrong attempt. */
  failed(client: string): Promise<void>;
  /** Record a right one: the client's count starts again. */
  succeeded(client: string): Promise<void>;
}

function limiter(keyPrefix: string, points: number, duration: number): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points, duration });
}

async function lockoutOf(l: RateLimiterMemory, key: string): Promise<Lockout | undefined> {
  const res = await l.get(key);
  if (res === null || res.consumedPoints < l.points) return undefined;
  return { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

async function fail(l: RateLimiterMemory, key: string, lockoutSeconds: number): Promise<void> {
  try {
    const res = await l.penalty(key, 1);
    if (res.consumedPoints >= l.points) await l.block(key, lockoutSeconds);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/**
 * A guard for one kind of secret.
 *
 * @param name - `access-code` or `staff-password`: keeps the counters apart
 * @param limits - see {@link AttemptLimits}
 */
export function attemptGuard(name: 'access-code' | 'staff-password', limits: AttemptLimits = {}): AttemptGuard {
  const maxFailures = limits.maxFailures ?? 5;
  const windowSeconds = limits.windowSeconds ?? 900;
  const lockoutSeconds = limits.lockoutSeconds ?? 900;
  const perClient = limiter(`${name}:client`, maxFailures, windowSeconds);
  const everyone = name === 'staff-password' ? limiter(`${name}:all`, limits.staffFailuresPerHour ?? 50, 3600) : undefined;
  return {
    async lockedOut(client) {
      return (await lockoutOf(perClient, client)) ?? (everyone && (await lockoutOf(everyone, 'all')));
    },
    async failed(client) {
      await fail(perClient, client, lockoutSeconds);
      if (everyone) await fail(everyone, 'all', lockoutSeconds);
    },
    async succeeded(client) {
      await perClient.delete(client);
    },
  };
}
