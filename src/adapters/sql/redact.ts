/**
 * Redaction of connection details: a `location` or message never holds a password.
 *
 * @module
 */

/**
 * @internal a connection string without password and query parameters:
 * `postgres://app:secret@db:5432/pb?sslmode=require` → `postgres://app@db:5432/pb`.
 * Key/value strings (`host=db password=secret`) lose their `password` pair.
 */
export function redactConnectionString(text: string): string {
  try {
    // Any URL (postgres:, postgresql:, a socket or proxy scheme): rebuilt from the parts that hold no secret.
    const url = new URL(text);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    const port = url.port ? `:${url.port}` : '';
    return `${url.protocol}//${user}${url.hostname}${port}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    // not a URL: key/value form below
  }
  return redactSecrets(text);
}

/** @internal remove anything that looks like a password from free text (URLs with credentials, `password=` pairs). */
export function redactSecrets(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1@').replace(/\b(password|passwd|pwd)\s*=\s*('[^']*'|"[^"]*"|\S+)/gi, '$1=[redacted]');
}
