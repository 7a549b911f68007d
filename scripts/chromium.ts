/**
 * Where the browser tests find Chromium. One search, shared by `scripts/ensure-chromium.ts`
 * (run by `npm test` before vitest, installs Debian's package where it can) and by the tests
 * that drive it through playwright-core (`test/notices/browser.test.ts`,
 * `examples/web/web.test.ts`). Nothing here downloads a browser: playwright-core drives the
 * Chromium of the system.
 *
 * Search order:
 * 1. `PB_CHROMIUM`, then `CHROMIUM_PATH`: a path to the executable. When set it must be one;
 *    a wrong value is an error, never a silent fall-back to another browser.
 * 2. `chromium`, `chromium-browser`, `google-chrome-stable`, `google-chrome` on `PATH`.
 * 3. The usual install paths (Debian and Ubuntu packages, snap, Google's packages, macOS apps).
 *
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Environment variables naming the Chromium executable, in order of precedence. */
export const CHROMIUM_ENV = ['PB_CHROMIUM', 'CHROMIUM_PATH'] as const;

/** Command names looked up on `PATH`. */
export const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'] as const;

/** Install locations tried after `PATH`. */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
] as const;

/** Flags the tests launch Chromium with: headless, no sandbox (containers, root), no network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** What to do when no Chromium is found: the text `ensure-chromium` and the tests print. */
export const CHROMIUM_MISSING =
  'Chromium not found. The browser tests need a Chromium (or Chrome) executable. Install one ' +
  '(Debian/Ubuntu: `sudo apt-get install chromium`; `npm test` does this itself when run as root on ' +
  'Debian), or point PB_CHROMIUM (or CHROMIUM_PATH) at the executable. Nothing is downloaded ' +
  'by the test tools.';

/** A Chromium was asked for and none is usable. */
export class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where a Chromium was found, and how. */
export interface ChromiumLocation {
  readonly path: string;
  /** `env PB_CHROMIUM`, `PATH chromium`, or `path` for an install location. */
  readonly via: string;
}

/**
 * Find a Chromium executable.
 *
 * @param env - default `process.env`
 * @param paths - install locations to try after `PATH`; default {@link CHROMIUM_PATHS}
 * @returns where it is, or `undefined` when there is none
 * @throws ChromiumNotFoundError when `PB_CHROMIUM` / `CHROMIUM_PATH` is set to something that is not an executable file
 */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env, paths: readonly string[] = CHROMIUM_PATHS): ChromiumLocation | undefined {
  for (const name of CHROMIUM_ENV) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (isExecutableFile(value)) return { path: value, via: `env ${name}` };
    throw new ChromiumNotFoundError(`${name} is set to "${value}", which is not an executable file. Fix or unset it.`);
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const command of CHROMIUM_COMMANDS) {
      const candidate = join(dir, command);
      if (isExecutableFile(candidate)) return { path: candidate, via: `PATH ${command}` };
    }
  }
  for (const candidate of paths) if (isExecutableFile(candidate)) return { path: candidate, via: 'path' };
  return undefined;
}

/**
 * The Chromium executable for playwright-core's `chromium.launch({ executablePath })`.
 *
 * @throws ChromiumNotFoundError with {@link CHROMIUM_MISSING} when there is none: the browser tests fail, they never skip
 */
export function chromiumExecutable(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const found = findChromium(env);
  if (!found) throw new ChromiumNotFoundError(CHROMIUM_MISSING);
  return found.path;
}
