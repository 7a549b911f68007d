/**
 * Help text of the CLI.
 *
 * @module
 */

/** `purpose-bound help`. */
export const HELP = `purpose-bound: policy as code for personal data (APPI, GDPR)

Usage: purpose-bound <command> [options]

Commands
  summary <policy-module>            Print a policy's purposes (parents, legal basis, retention),
                                     fields (category, allowed purposes), collection points,
                                     vendors and legal exceptions.
      --lang en|ja                   language of titles (default en)
      --format text|json             (default text)
  diff <old-policy> <new-policy>     What changed between two versions of a policy, and which
                                     changes need fresh consent rather than notice alone.
      --lang en|ja  --format text|markdown|html|json  (default text)
      --exit-code                    exit 1 when the policies differ (like git diff)
  notices <policy-module>            Render a notice from the policy.
      --kind collection|policy|change   (default policy)
      --collection-point <id>        for --kind collection (default: every collection point)
      --previous <policy-module>     the earlier version, for --kind change
      --lang en|ja                   (default en)
      --format text|markdown|html    (default text)
      --full-page                    html: a whole page rather than a fragment
      --omit-missing-prose           policy: leave out prose sections the policy lacks
      --out <file>                   write to a file instead of standard output
  dpv <policy-module>                Export the policy as a DPV record of processing (JSON-LD):
                                     purposes, legal bases, personal-data categories, recipients,
                                     retention, transfers and rights, in W3C DPV terms.
      --jurisdiction <CC>            ISO 3166-1 alpha-2 code (default JP)
      --rights appi|gdpr|both        rights to list (default both)
      --out <file>                   write to a file instead of standard output
  verify-audit <file|->              Verify the hash chain of an exported audit log (JSON Lines,
                                     one entry per line, or a JSON array; - reads standard input)
                                     and print the first broken link.
      --checkpoint <file>            a signed checkpoint you kept (C2SP signed note): the log must
                                     extend it exactly (detects truncation and any rewrite before it)
      --key <verifier key>           the log's verifier key (name+keyid+base64); or --key-file <file>
      --expected-head <hash>         deprecated: the last hash you anchored (fails after any append)
      --format text|json             (default text)
  verify-disclosure <file>           Check the audit proofs of a disclosure (desk.disclose() as JSON)
                                     offline: each audit entry shown is in the signed log, unaltered.
      --key <verifier key>           the log's verifier key you trust (required); or --key-file <file>
      --origin <origin>              the log's origin (default: the key's name)
      --format text|json             (default text)
  help                               This text.
  --version                          The version of purpose-bound.

Policy modules
  A .js/.mjs/.ts/.mts file whose default export, or export named "policy", is a Policy made by
  definePolicy() or a plain PolicySpec; --export <name> picks another export. TypeScript files
  load when Node strips types (22.18+), when the CLI runs under tsx, or through the project's
  own tsx (npm install -D tsx).

Exit codes
  0  success (verify-audit: the log verifies; verify-disclosure: every entry is proven)
  1  a check failed (verify-audit: broken log; verify-disclosure: an entry not proven; diff --exit-code: policies differ)
  2  wrong usage (unknown command or option, missing argument)
  3  unusable input (missing file, no policy exported, invalid policy, unreadable audit file)
  4  internal error (a bug: please report it)
`;
