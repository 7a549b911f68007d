/**
 * Each layer talks to the one below it only: the features above the vault (requests,
 * provisions, retention) use the vault's API and never its adapter's transactions, and the
 * vault imports nothing from them.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../src', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The code of a file without its comments (TSDoc examples may show an adapter). */
const code = (file: string): string =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('layers', () => {
  it('outside the vault, storage, adapters and testing, nothing runs a transaction of a vault adapter', () => {
    const below = ['vault', 'storage', 'adapters', 'testing'].map((d) => join(root, d));
    const offenders = sources(root)
      .filter((f) => !below.some((d) => f.startsWith(d)))
      .filter((f) => /\.adapter\.transaction\b/.test(code(f)))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('retention, requests and provisions reach storage only through the vault', () => {
    const features = ['retention', 'requests', 'provision'].flatMap((d) => sources(join(root, d)));
    expect(features.length).toBeGreaterThan(0);
    const offenders = features.filter((f) => /\badapter\.transaction\(|\.adapter\.transaction\b/.test(code(f))).map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the vault imports nothing from the features built on it', () => {
    const offenders = sources(join(root, 'vault'))
      .filter((f) => /from '\.\.\/(retention|requests|provision|receipts|consent-receipts)\//.test(code(f)))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
