#!/usr/bin/env bash
# Dependency hygiene for CI (issue 8): `npm audit --omit=dev --audit-level=low` must be clean.
#
# What it checks, and what it says when it cannot:
# 1. The runtime dependency tree (`--omit=dev`): any advisory, of any severity, fails the step.
#    purpose-bound has no runtime `dependencies` (zod and the drivers are peers), so npm has
#    nothing to send and reports 0 without contacting the registry; the step prints that too,
#    so a green result is never mistaken for more than it is.
# 2. The whole installed tree, which includes the peer drivers users install (pg, PGlite,
#    better-sqlite3, zod are devDependencies here): reported for information, never fatal
#    (a dev tool's advisory does not reach users).
# When the registry's audit endpoint cannot be reached (offline, a mirror without the audit
# API), it prints "NOT AUDITED" with npm's reason instead of a silent pass. That is fatal for (1)
# only when runtime dependencies exist, i.e. when the audit would have meant something.
#
# The user's npmrc may set audit=false; `--audit=true` overrides it.
set -uo pipefail
cd "$(dirname "$0")/.."

summarise() { # $1 = json file; prints "ok <total>" | "vuln <total> <by-severity>" | "error <message>"
  node -e '
    const fs = require("node:fs");
    let j; try { j = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("error npm printed no JSON report"); process.exit(0); }
    if (j.error) { console.log("error " + (j.message || j.error.summary || "audit endpoint returned an error").replace(/\s+/g, " ")); process.exit(0); }
    const v = (j.metadata && j.metadata.vulnerabilities) || {};
    const total = v.total ?? 0;
    const deps = (j.metadata && j.metadata.dependencies) || {};
    if (total === 0) console.log(`ok 0 (${deps.prod ?? "?"} runtime, ${deps.dev ?? "?"} dev packages)`);
    else console.log(`vuln ${total} critical=${v.critical} high=${v.high} moderate=${v.moderate} low=${v.low} info=${v.info}`);
  ' "$1"
}

runtime_deps=$(node -p 'Object.keys(require("./package.json").dependencies ?? {}).join(" ")')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npm audit --omit=dev --audit-level=low --audit=true --json >"$tmp/prod.json" 2>"$tmp/prod.err"
prod=$(summarise "$tmp/prod.json")
status=0
case "$prod" in
  ok*)
    if [ -z "$runtime_deps" ]; then
      echo "npm audit --omit=dev: clean (no runtime dependencies: zod and the drivers are peer dependencies)"
    else
      echo "npm audit --omit=dev: clean, runtime dependencies: $runtime_deps"
    fi ;;
  vuln*)
    echo "npm audit --omit=dev: FAILED, ${prod#vuln }"
    npm audit --omit=dev --audit-level=low --audit=true || true
    status=1 ;;
  error*)
    echo "npm audit --omit=dev: NOT AUDITED: the registry's audit endpoint is unreachable (${prod#error })"
    if [ -n "$runtime_deps" ]; then status=1; fi ;;
esac

npm audit --audit-level=low --audit=true --json >"$tmp/all.json" 2>"$tmp/all.err"
all=$(summarise "$tmp/all.json")
case "$all" in
  ok*) echo "npm audit (whole tree incl. peer drivers and dev tools, informational): clean" ;;
  vuln*) echo "npm audit (whole tree incl. peer drivers and dev tools, informational): ${all#vuln }"
    npm audit --audit=true 2>/dev/null | sed -n '1,60p' || true ;;
  error*) echo "npm audit (whole tree, informational): NOT AUDITED: the registry's audit endpoint is unreachable (${all#error })" ;;
esac

exit "$status"
