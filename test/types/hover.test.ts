/**
 * What an editor shows on hover for the vault's reads: resolved types (`string`, a union of
 * purpose ids), never the policy's whole spec. Asked of TypeScript's own language service.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const file = path.join(root, 'test/types/hover-probe.ts');
const text = `import { createLocalKeyring, createVault, generateKey } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: createLocalKeyring({ keys: { k: generateKey() }, current: 'k' }) });
const email = await vault.read('s', 'email', { purpose: 'contact', actor: 'a' });
const handle = vault.field('s', 'email');
const page = await vault.readMany(['s'], ['email', 'name'], { purpose: 'contact', actor: 'a' });
const profile = await vault.readAll('s', { purpose: 'contact', actor: 'a' });
export { email, handle, page, profile };
`;

function hovers(names: readonly string[]): Record<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.json not found');
  const read = (f: string): string | undefined => (f === file ? text : ts.sys.readFile(f));
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => {
      const t = read(f);
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (f) => f === file || ts.sys.fileExists(f),
    readFile: read,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const out: Record<string, string> = {};
  for (const name of names) {
    const info = service.getQuickInfoAtPosition(file, text.indexOf(`const ${name} `) + 6);
    out[name] = ts.displayPartsToString(info?.displayParts);
  }
  return out;
}

describe('hover types of the vault', () => {
  it('show the values and purposes, not the policy spec', () => {
    const shown = hovers(['email', 'handle', 'page', 'profile']);
    expect(shown['email']).toBe('const email: string');
    expect(shown['handle']).toMatch(/^const handle: PersonalField<string, "contact" \| .*"inquiryResponse".*, "email">$/);
    for (const text of Object.values(shown)) {
      expect(text).not.toContain('Policy<');
      expect(text).not.toContain('readonly title');
    }
    expect(shown['page']).toContain('readonly email?: string');
  }, 60_000);
});
