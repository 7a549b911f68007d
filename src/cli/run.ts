/**
 * The CLI's commands, runnable in-process: `run(argv, io)` returns the exit code. `main.ts`
 * wires it to the process.
 *
 * Nothing here prints a personal value: summaries and notices come from the policy (ids,
 * titles, purposes), and audit reports give positions and reasons, never a line's content.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toDpvRecordOfProcessing } from '../consent-receipts/record-of-processing.js';
import { PurposeBoundError } from '../errors.js';
import { LANGUAGES, type Lang } from '../i18n.js';
import { AuditFileError, CliUsageError, EXIT } from './errors.js';
import { verifyDisclosureAudit } from '../audit/disclosure-proof.js';
import { HELP } from './help.js';
import { loadPolicy } from './load-policy.js';
import { diffPolicyVersions, renderPolicyNotice, type NoticeFormat, type NoticeKind, type PolicyDiff } from './notices-bridge.js';
import { formatSummary, summarizePolicy } from './summary.js';
import { exportAuditLog, fileSink, inferAdapter, openAuditSource, streamSink, type AuditExportAdapter } from './export-audit.js';
import { formatAuditVerification, formatDisclosureVerification, verifyAuditFile } from './verify-audit.js';

/** Where bugs are reported (the package's `bugs.url`). */
export const ISSUES_URL = 'https://github.com/purpose-bound/purpose-bound/issues';

/** Streams and directory the CLI works with. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(command: string, args: readonly string[], options: O, positionals: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs messages name the option, never a value we hold.
    throw new CliUsageError(command, `${error instanceof Error ? error.message : 'has invalid options'}; see purpose-bound help`);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new CliUsageError(command, `takes ${positionals.map((p) => `<${p}>`).join(' ')}; got ${parsed.positionals.length} argument(s); see purpose-bound help`);
  }
  return parsed;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new CliUsageError(option, `must be one of ${allowed.join(', ')}`);
}

function version(): string {
  // src/cli/run.ts and dist/cli.js both find the package's own package.json above them.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'purpose-bound' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // keep looking upward
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const langOption = { lang: { type: 'string' }, export: { type: 'string' } } as const;

async function summary(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('summary', args, { ...langOption, format: { type: 'string' } }, ['policy-module']);
  const lang = oneOf<Lang>('--lang', values.lang, LANGUAGES, 'en');
  const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
  const policy = await loadPolicy(positionals[0] as string, { cwd: io.cwd, exportName: values.export });
  const s = summarizePolicy(policy, lang);
  io.stdout.write(format === 'json' ? `${JSON.stringify(s, null, 2)}\n` : formatSummary(s, lang));
  return EXIT.ok;
}

async function diff(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('diff', args, { ...langOption, format: { type: 'string' }, 'exit-code': { type: 'boolean' } }, ['old-policy', 'new-policy']);
  const lang = oneOf<Lang>('--lang', values.lang, LANGUAGES, 'en');
  const format = oneOf('--format', values.format, ['text', 'markdown', 'html', 'json'] as const, 'text');
  const previous = await loadPolicy(positionals[0] as string, { cwd: io.cwd, exportName: values.export, argument: '<old-policy>' });
  const next = await loadPolicy(positionals[1] as string, { cwd: io.cwd, exportName: values.export, argument: '<new-policy>' });
  const { diff: d, changed } = diffPolicyVersions(previous, next);
  if (format === 'json') io.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
  // Nothing changed: say so, rather than a customer-facing notice announcing no change.
  else if (!changed) io.stdout.write(noChanges(d, lang));
  else io.stdout.write(ensureNewline(renderPolicyNotice(next, { kind: 'change', previous, lang, format })));
  return values['exit-code'] === true && changed ? EXIT.failed : EXIT.ok;
}

async function notices(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    'notices',
    args,
    {
      ...langOption,
      kind: { type: 'string' },
      format: { type: 'string' },
      'collection-point': { type: 'string' },
      previous: { type: 'string' },
      'full-page': { type: 'boolean' },
      'omit-missing-prose': { type: 'boolean' },
      out: { type: 'string' },
    },
    ['policy-module'],
  );
  const kind = oneOf<NoticeKind>('--kind', values.kind, ['collection', 'policy', 'change'], 'policy');
  const lang = oneOf<Lang>('--lang', values.lang, LANGUAGES, 'en');
  const format = oneOf<NoticeFormat>('--format', values.format, ['text', 'markdown', 'html'], 'text');
  if (kind === 'change' && values.previous === undefined) throw new CliUsageError('--previous', 'is required with --kind change: the earlier policy module');
  if (kind !== 'change' && values.previous !== undefined) throw new CliUsageError('--previous', 'applies only to --kind change');
  if (kind !== 'collection' && values['collection-point'] !== undefined) throw new CliUsageError('--collection-point', 'applies only to --kind collection');
  if (format !== 'html' && values['full-page'] === true) throw new CliUsageError('--full-page', 'applies only to --format html');
  if (kind !== 'policy' && values['omit-missing-prose'] === true) throw new CliUsageError('--omit-missing-prose', 'applies only to --kind policy');
  const policy = await loadPolicy(positionals[0] as string, { cwd: io.cwd, exportName: values.export });
  const previous = values.previous === undefined ? undefined : await loadPolicy(values.previous, { cwd: io.cwd, exportName: values.export, argument: '--previous' });

  const points = kind === 'collection' ? (values['collection-point'] === undefined ? [...policy.collectionPointIds] : [values['collection-point']]) : [undefined];
  if (kind === 'collection') for (const p of points) policy.collectionPoint(p as string); // named error before any output
  const parts = points.map((collectionPoint) =>
    renderPolicyNotice(policy, { kind, lang, format, collectionPoint, previous, fullPage: values['full-page'] === true, omitMissingProse: values['omit-missing-prose'] === true }),
  );
  const output = ensureNewline(parts.join(format === 'html' ? '\n' : '\n\n'));
  await writeOutput(io, values.out, output);
  return EXIT.ok;
}

/** `output` to standard output, or to the file `out` names (its folders created), said on standard error. */
async function writeOutput(io: CliIo, out: string | undefined, output: string): Promise<void> {
  if (out === undefined) {
    io.stdout.write(output);
    return;
  }
  const target = resolve(io.cwd, out);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, output, 'utf8');
  io.stderr.write(`wrote ${out}\n`);
}

/** `--key <verifier key>` or `--key-file <file>`: the log's verifier key (required with what needs it). */
async function verifierKeyOption(values: { key?: string | undefined; 'key-file'?: string | undefined }, io: CliIo, needed: string | undefined): Promise<string | undefined> {
  if (values.key !== undefined && values['key-file'] !== undefined) throw new CliUsageError('--key', 'give either --key or --key-file, not both');
  let key = values.key;
  if (values['key-file'] !== undefined) key = (await readTextFile(resolve(io.cwd, values['key-file']), '--key-file')).trim();
  if (key === undefined && needed !== undefined) throw new CliUsageError('--key', `is required with ${needed}: the log's verifier key (name+keyid+base64), or --key-file`);
  return key;
}

async function readTextFile(file: string, argument: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw new AuditFileError(argument, `must be a readable file; ${file} could not be read (${code})`);
  }
}

async function dpv(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('dpv', args, { export: { type: 'string' }, jurisdiction: { type: 'string' }, rights: { type: 'string' }, out: { type: 'string' } }, [
    'policy-module',
  ]);
  const rights = oneOf('--rights', values.rights, ['appi', 'gdpr', 'both'] as const, 'both');
  const jurisdiction = values.jurisdiction ?? 'JP';
  if (!/^[A-Z]{2}$/.test(jurisdiction)) throw new CliUsageError('--jurisdiction', 'must be an ISO 3166-1 alpha-2 code such as JP');
  const policy = await loadPolicy(positionals[0] as string, { cwd: io.cwd, exportName: values.export });
  const ropa = toDpvRecordOfProcessing(policy, { jurisdiction, rights: rights === 'both' ? ['APPI', 'GDPR'] : rights === 'appi' ? ['APPI'] : ['GDPR'] });
  const output = `${JSON.stringify(ropa, null, 2)}\n`;
  await writeOutput(io, values.out, output);
  return EXIT.ok;
}

async function verifyAudit(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    'verify-audit',
    args,
    { 'expected-head': { type: 'string' }, checkpoint: { type: 'string' }, key: { type: 'string' }, 'key-file': { type: 'string' }, format: { type: 'string' } },
    ['audit-file'],
  );
  const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
  const head = values['expected-head'];
  if (head !== undefined && !/^[0-9a-f]{64}$/.test(head)) throw new CliUsageError('--expected-head', 'must be a SHA-256 hash: 64 lowercase hex digits');
  const checkpoint = values.checkpoint === undefined ? undefined : await readTextFile(resolve(io.cwd, values.checkpoint), '--checkpoint');
  const verifierKey = await verifierKeyOption(values, io, checkpoint === undefined ? undefined : '--checkpoint');
  const file = positionals[0] as string;
  const result = await verifyAuditFile(file === '-' ? '-' : resolve(io.cwd, file), { stdin: io.stdin, expectedHead: head, checkpoint, verifierKey });
  io.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatAuditVerification(file, result));
  return result.valid ? EXIT.ok : EXIT.failed;
}

async function verifyDisclosure(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    'verify-disclosure',
    args,
    { key: { type: 'string' }, 'key-file': { type: 'string' }, origin: { type: 'string' }, format: { type: 'string' } },
    ['disclosure-file'],
  );
  const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
  const verifierKey = (await verifierKeyOption(values, io, 'verify-disclosure')) as string;
  const file = positionals[0] as string;
  const text = await readTextFile(resolve(io.cwd, file), '<disclosure-file>');
  let disclosure: unknown;
  try {
    disclosure = JSON.parse(text);
  } catch {
    throw new AuditFileError('<disclosure-file>', 'must be the JSON of a disclosure (desk.disclose(), JSON.stringify)');
  }
  const result = verifyDisclosureAudit(disclosure as Parameters<typeof verifyDisclosureAudit>[0], { verifierKey, ...(values.origin !== undefined && { origin: values.origin }) });
  io.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatDisclosureVerification(file, result));
  return result.valid ? EXIT.ok : EXIT.failed;
}

function noChanges(d: PolicyDiff, lang: Lang): string {
  const { from, to } = d;
  const same = from.version === to.version && from.effective === to.effective;
  if (lang === 'ja') {
    return same
      ? `変更はありません：ポリシー ${d.policyId}（バージョン ${to.version}、施行日 ${to.effective}）\n`
      : `内容の変更はありません：ポリシー ${d.policyId} のバージョン（${from.version} → ${to.version}）と施行日（${from.effective} → ${to.effective}）のみ異なります\n`;
  }
  return same
    ? `no changes: policy ${d.policyId} version ${to.version} (effective ${to.effective}) in both\n`
    : `no changes in content: policy ${d.policyId} differs only in version (${from.version} -> ${to.version}) and effective date (${from.effective} -> ${to.effective})\n`;
}

async function exportAudit(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(
    'export-audit',
    args,
    { database: { type: 'string' }, adapter: { type: 'string' }, schema: { type: 'string' }, format: { type: 'string' }, 'from-seq': { type: 'string' }, out: { type: 'string' } },
    [],
  );
  const database = values.database ?? process.env['DATABASE_URL'];
  if (database === undefined || database === '')
    throw new CliUsageError('--database', 'is required (a postgres:// URL, a SQLite file or a PGlite data directory), or set DATABASE_URL');
  const format = oneOf('--format', values.format, ['jsonl', 'csv'] as const, 'jsonl');
  const kind = values.adapter === undefined ? await inferAdapter(database) : oneOf<AuditExportAdapter>('--adapter', values.adapter, ['postgres', 'pglite', 'sqlite'], 'postgres');
  const fromSeqText = values['from-seq'];
  if (fromSeqText !== undefined && !/^[1-9]\d{0,14}$/.test(fromSeqText)) throw new CliUsageError('--from-seq', 'must be a positive whole number');
  const adapter = await openAuditSource(database, kind, { cwd: io.cwd, schema: values.schema });
  try {
    const file = values.out === undefined ? undefined : fileSink(resolve(io.cwd, values.out));
    const result = await exportAuditLog(adapter, file?.sink ?? streamSink(io.stdout), { format, ...(fromSeqText !== undefined && { fromSeq: Number(fromSeqText) }) });
    await file?.close();
    const range = result.entries === 0 ? '' : ` (seq ${result.firstSeq}-${result.lastSeq}; last hash ${result.head})`;
    io.stderr.write(
      `exported ${result.entries} audit entr${result.entries === 1 ? 'y' : 'ies'} from ${adapter.location}${range}${values.out === undefined ? '' : ` to ${values.out}`}\n`,
    );
    return EXIT.ok;
  } finally {
    await adapter.close();
  }
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number>> = {
  summary,
  diff,
  notices,
  dpv,
  'verify-audit': verifyAudit,
  'verify-disclosure': verifyDisclosure,
  'export-audit': exportAudit,
};

/**
 * Run the CLI with arguments (without `node` and the script) and return the exit code.
 * Errors are reported on `io.stderr` as `error <CODE>: <message>`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      (command === undefined ? io.stderr : io.stdout).write(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler) throw new CliUsageError('<command>', `must be one of ${Object.keys(COMMANDS).join(', ')}, help, --version; see purpose-bound help`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof PurposeBoundError) {
      io.stderr.write(`error ${error.code}: ${error.message}\n`);
      const exitCode = (error as { exitCode?: unknown }).exitCode;
      return typeof exitCode === 'number' ? exitCode : EXIT.input;
    }
    // Not ours to describe: a bug. The name and message of our own code's errors hold no values.
    io.stderr.write(`internal error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error value was thrown'}\n`);
    io.stderr.write(`This is a bug in purpose-bound ${version()}: please report it at ${ISSUES_URL} with the command you ran.\n`);
    return EXIT.internal;
  }
}
