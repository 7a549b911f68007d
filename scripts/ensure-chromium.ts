/**
 * Make a Chromium available to the browser tests, as `scripts/ensure-postgres.sh` does for
 * PostgreSQL. Run by `npm test` before vitest (`npx tsx scripts/ensure-chromium.ts` alone).
 *
 * - Found (`PB_CHROMIUM` / `CHROMIUM_PATH`, `PATH`, the usual install paths; see
 *   `scripts/chromium.ts`): prints where and its version, exit 0.
 * - Not found, running as root on Debian with apt-get: installs Debian's `chromium` package
 *   (`apt-get update && apt-get install -y chromium`), then looks again.
 * - Still not found: prints what to install and exits 1, so `npm test` fails before running
 *   anything (the browser tests would fail too: they never skip).
 *
 * No test tool downloads a browser of its own: playwright-core drives this one.
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_MISSING, ChromiumNotFoundError, findChromium, type ChromiumLocation } from './chromium.js';

function say(line: string): void {
  process.stderr.write(`ensure-chromium: ${line}\n`);
}

function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function aptInstallChromium(): boolean {
  say("no Chromium found; installing Debian's chromium package (apt-get update && apt-get install -y chromium)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0) {
    say(`apt-get update failed (exit ${update.status ?? update.signal})`);
    return false;
  }
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install.status !== 0) {
    say(`apt-get install chromium failed (exit ${install.status ?? install.signal})`);
    return false;
  }
  return true;
}

function version(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'version unknown: `--version` failed';
  }
}

/** Find or install Chromium; returns the exit code. */
export function ensureChromium(): number {
  let found: ChromiumLocation | undefined;
  try {
    found = findChromium();
    if (!found && canInstallWithApt() && aptInstallChromium()) found = findChromium();
  } catch (error) {
    if (!(error instanceof ChromiumNotFoundError)) throw error;
    say(error.message);
    return 1;
  }
  if (!found) {
    say(CHROMIUM_MISSING);
    return 1;
  }
  say(`${found.path} (${found.via}): ${version(found.path)}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = ensureChromium();
