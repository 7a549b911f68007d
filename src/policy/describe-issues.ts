/**
 * Turn zod issues into rule descriptions that never contain the input: no zod message (custom
 * messages may interpolate the value), no unrecognised key names, and path segments the schema
 * does not itself define (record keys come from the input) masked as `*`.
 *
 * @module
 */
import type { z } from 'zod';
import type { ValueRule } from '../errors.js';

type Issue = z.core.$ZodIssue;

interface Def {
  readonly type?: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly items?: readonly z.ZodType[];
}

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown): unknown {
  let cur = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(cur);
    if (!def) return cur;
    if (
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'readonly' ||
      def.type === 'catch' ||
      def.type === 'prefault' ||
      def.type === 'nonoptional'
    )
      cur = def.innerType;
    else if (def.type === 'pipe') cur = def.in;
    else return cur;
  }
  return cur;
}

function safePath(schema: z.ZodType, path: readonly PropertyKey[]): string {
  let cur: unknown = schema;
  let out = '';
  for (const seg of path) {
    const def = defOf(unwrap(cur));
    if (typeof seg === 'number' && (def?.type === 'array' || def?.type === 'tuple')) {
      out += `[${seg}]`;
      cur = def.type === 'array' ? def.element : def.items?.[seg];
    } else if (typeof seg === 'string' && def?.type === 'object' && def.shape && Object.hasOwn(def.shape, seg)) {
      out += out === '' ? seg : `.${seg}`;
      cur = def.shape[seg];
    } else {
      out += out === '' ? '*' : '.*';
      cur = undefined;
    }
  }
  return out;
}

function describeRule(issue: Issue): string {
  const i = issue as Issue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      return `invalid_type(expected ${String(i.expected)})`;
    case 'too_small':
      return `too_small(${String(i.origin ?? '')} min ${String(i.minimum)})`;
    case 'too_big':
      return `too_big(${String(i.origin ?? '')} max ${String(i.maximum)})`;
    case 'invalid_format':
      return `invalid_format(${String(i.format)})`;
    case 'not_multiple_of':
      return `not_multiple_of(${String(i.divisor)})`;
    case 'invalid_value':
      return 'invalid_value(not one of the allowed values)';
    default:
      return issue.code;
  }
}

/** @internal */
export function describeZodIssues(schema: z.ZodType, issues: readonly Issue[]): ValueRule[] {
  return issues.slice(0, 20).map((issue) => ({ path: safePath(schema, issue.path), rule: describeRule(issue) }));
}
