/**
 * Errors of the `purpose-bound` command line. Each is a named `PurposeBoundError` (code
 * `INVALID_ARGUMENT`, `argument` naming the command-line argument) and maps to an exit code;
 * none repeats a personal value.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** Exit codes of the CLI: documented in `purpose-bound help`. */
export const EXIT = {
  /** Success; for `verify-audit`: the chain verifies. */
  ok: 0,
  /** A check failed: `verify-audit` found a broken link; `diff --exit-code` found changes. */
  failed: 1,
  /** Wrong usage: unknown command or option, missing argument. */
  usage: 2,
  /** Input that cannot be used: missing file, a module exporting no policy, an invalid policy, an unreadable audit file. */
  input: 3,
  /** A bug in purpose-bound: please report it. */
  internal: 4,
} as const;

/** Unknown command or option, a missing or malformed argument. Exit code 2. */
export class CliUsageError extends InvalidArgumentError {
  readonly exitCode = EXIT.usage;
}

/** A policy module that cannot be loaded or exports no policy. Exit code 3. */
export class PolicyModuleError extends InvalidArgumentError {
  readonly exitCode = EXIT.input;
}

/** An audit file that cannot be read (missing, not JSON Lines or a JSON array). Exit code 3. */
export class AuditFileError extends InvalidArgumentError {
  readonly exitCode = EXIT.input;
}
