/**
 * `purpose-bound` command line: policy summaries, policy diffs, notices and audit-log
 * verification outside code. Built by tsup to `dist/cli.js` (the package's `bin`); run from a
 * checkout with `npx tsx src/cli/main.ts <command>`.
 *
 * @module
 */
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
});
