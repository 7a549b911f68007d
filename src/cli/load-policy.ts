/**
 * Load a policy from a JavaScript or TypeScript module for the CLI.
 *
 * The module may export a `Policy` (made by `definePolicy`) or a plain `PolicySpec`, as its
 * default export, as `policy`, or under any name picked with `--export`. When none of these
 * exists and exactly one export is a policy, that one is used. The CLI re-validates what it
 * loads with its own `definePolicy`, so a policy built by another copy of purpose-bound (the
 * project's `node_modules`, a workspace link) works the same.
 *
 * TypeScript modules load natively when Node strips types (Node 22.18+/23.6+, or
 * `--experimental-strip-types` on 22.6+), when the CLI itself runs under `tsx`, or through
 * `tsx` installed in the project (found from the current directory). Otherwise the error
 * says what to install.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPurposeBoundError } from '../errors.js';
import { definePolicy, isPolicy, type AnyPolicy } from '../policy/define-policy.js';
import type { PolicySpec } from '../policy/spec.js';
import { PolicyModuleError } from './errors.js';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Name of the export to use; default: `default`, then `policy`, then the only policy exported. */
  readonly exportName?: string | undefined;
  /** Directory relative paths resolve from; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** Command-line argument the file came from, for error messages. Default `<policy-module>`. */
  readonly argument?: string | undefined;
}

type Candidate = { kind: 'policy'; value: AnyPolicy } | { kind: 'policy-like'; value: { spec: PolicySpec } } | { kind: 'spec'; value: PolicySpec };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function looksLikeSpec(value: unknown): value is PolicySpec {
  return isObject(value) && typeof value.id === 'string' && typeof value.version === 'string' && isObject(value.purposes) && isObject(value.fields);
}

function classify(value: unknown): Candidate | undefined {
  if (isPolicy(value)) return { kind: 'policy', value };
  // A Policy from another copy of the library: same shape, different class.
  if (isObject(value) && Array.isArray(value.purposeIds) && typeof value.wrap === 'function' && looksLikeSpec(value.spec)) {
    return { kind: 'policy-like', value: value as { spec: PolicySpec } };
  }
  if (looksLikeSpec(value)) return { kind: 'spec', value };
  return undefined;
}

async function importModule(path: string, argument: string, cwd: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = isObject(error) ? error.code : undefined;
    if (!(TS_EXTENSIONS.has(extname(path)) && code === 'ERR_UNKNOWN_FILE_EXTENSION')) throw wrapImportError(error, argument);
  }
  // A TypeScript module on a Node that does not strip types: use the project's tsx.
  let tsxApi: string;
  try {
    tsxApi = resolveEsmExport(createRequire(join(cwd, 'package.json')), 'tsx', './esm/api');
  } catch {
    throw new PolicyModuleError(
      argument,
      'is a TypeScript module and this Node cannot load TypeScript: install tsx in the project (npm install -D tsx), ' +
        'run the CLI through it (npx tsx node_modules/.bin/purpose-bound ...), use Node 22.18 or later, or compile the policy to JavaScript',
    );
  }
  const { tsImport } = (await import(pathToFileURL(tsxApi).href)) as { tsImport: (specifier: string, parent: string) => Promise<unknown> };
  try {
    return (await tsImport(url, pathToFileURL(join(cwd, 'index.js')).href)) as Record<string, unknown>;
  } catch (error) {
    throw wrapImportError(error, argument);
  }
}

/**
 * The ESM file of a package subpath, resolved from the project. `require.resolve` would pick the
 * CommonJS file (the `require` condition), which tsx's ESM API cannot be loaded through.
 */
function resolveEsmExport(req: NodeRequire, pkg: string, subpath: string): string {
  const manifest = req.resolve(`${pkg}/package.json`);
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports?.[subpath];
  let target: unknown = isObject(exports) ? (exports.import ?? exports.default) : exports;
  if (isObject(target)) target = target.default;
  if (typeof target !== 'string') throw new Error(`${pkg} has no ESM export ${subpath}`);
  return join(dirname(manifest), target);
}

function wrapImportError(error: unknown, argument: string): Error {
  // A PolicyDefinitionError thrown while the module builds its policy is the useful message.
  if (isPurposeBoundError(error)) return error;
  // A policy module is code, not personal data: its error says what to fix.
  const what = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'a non-Error value was thrown';
  return new PolicyModuleError(argument, `could not be imported (${what})`);
}

/**
 * Import a policy module and return the policy it exports.
 *
 * @param file - path to a `.js`, `.mjs`, `.cjs`, `.ts` or `.mts` module
 * @throws PolicyModuleError when the file is missing, cannot be imported or exports no policy
 * @throws PolicyDefinitionError when the exported spec is invalid
 */
export async function loadPolicy(file: string, options: LoadPolicyOptions = {}): Promise<AnyPolicy> {
  const argument = options.argument ?? '<policy-module>';
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new PolicyModuleError(argument, `must be a policy module file; ${file} does not exist or is not a file`);
  const mod = await importModule(path, argument, cwd);

  let chosen: Candidate | undefined;
  if (options.exportName !== undefined) {
    const chosenName = options.exportName;
    if (!Object.hasOwn(mod, chosenName)) {
      throw new PolicyModuleError('--export', `names no export of ${file}; its exports are: ${Object.keys(mod).join(', ') || '(none)'}`);
    }
    chosen = classify(mod[chosenName]);
    if (!chosen) throw new PolicyModuleError('--export', `export "${chosenName}" of ${file} is neither a Policy nor a PolicySpec`);
  } else {
    chosen = classify(mod.default) ?? classify(mod.policy);
    if (!chosen) {
      const found = Object.entries(mod)
        .map(([name, value]) => [name, classify(value)] as const)
        .filter((e): e is readonly [string, Candidate] => e[1] !== undefined);
      const policies = found.filter(([, c]) => c.kind !== 'spec');
      const pick = policies.length === 1 ? policies[0] : policies.length === 0 && found.length === 1 ? found[0] : undefined;
      if (!pick) {
        throw new PolicyModuleError(
          argument,
          found.length === 0
            ? `must export a Policy or PolicySpec (default export or "policy"); ${file} exports none`
            : `exports several policies (${found.map(([n]) => n).join(', ')}); pick one with --export <name>`,
        );
      }
      chosen = pick[1];
    }
  }
  if (chosen.kind === 'policy') return chosen.value;
  return definePolicy((chosen.kind === 'spec' ? chosen.value : chosen.value.spec) as never);
}
