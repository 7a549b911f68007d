/**
 * Validation of a policy spec: structure with zod, then cross-references (unknown ids, parent
 * cycles, translations, durations). Returns every problem, each with its path.
 *
 * @module
 */
import { z } from 'zod';
import type { PolicyIssue } from '../errors.js';
import { LANGUAGES, type Lang } from '../i18n.js';
import { FIELD_CATEGORIES, LEGAL_BASIS_IDS, LEGAL_EXCEPTION_IDS } from '../legal.js';
import { parseDuration } from '../util/duration.js';
import { isSafeId, safeId } from '../util/safe-id.js';
import { appiIssues, foreignRecipientSchema, jointUseSchema, optOutSchema, retainedDataSchema } from './validate-appi.js';
import { isDpvConceptName } from './dpv-names.js';

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Names of `Object.prototype` members and `prototype`: as ids they would alias inherited properties. */
const RESERVED_IDS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const idKey = z
  .string()
  .regex(ID, 'must start with a letter and hold only letters, digits, "_" or "-" (max 64)')
  .refine((k) => !RESERVED_IDS.has(k), 'is a reserved name (a property of every JavaScript object); choose another id');
const localized = z.strictObject({ en: z.string().optional(), ja: z.string().optional() });
const duration = z.string().refine((s) => parseDuration(s) !== undefined, 'must be an ISO 8601 duration such as P3Y, P6M or P90D');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real calendar date');
const zodSchema = z.custom<z.ZodType>((v) => typeof v === 'object' && v !== null && '_zod' in v, 'must be a zod schema');
const idList = (min?: string) => (min ? z.array(z.string()).min(1, min) : z.array(z.string())).readonly();

/** DPV concept names (issue 13): a compact IRI with a DPV prefix, or an https IRI; one or a non-empty list. */
const dpvConcept = z
  .string()
  .refine(isDpvConceptName, 'must be a DPV concept such as dpv:CommunicationManagement or pd:EmailAddress (prefix dpv, pd, legal-jp, legal-eu or eu-gdpr), or an https IRI');
const dpvConcepts = z.union([dpvConcept, z.array(dpvConcept).min(1, 'must name at least one DPV concept').readonly()]);

const purpose = z.strictObject({
  title: localized,
  description: localized,
  basis: z.enum(LEGAL_BASIS_IDS as [string, ...string[]]),
  retention: duration,
  parent: z.string().optional(),
  scope: z.enum(['announced', 'outside']).optional(),
  dpv: dpvConcepts.optional(),
  dpvBasis: dpvConcepts.optional(),
});

const field = z.strictObject({
  title: localized,
  description: localized.optional(),
  schema: zodSchema,
  category: z.enum(FIELD_CATEGORIES),
  purposes: idList('must list at least one purpose'),
  lookup: z.boolean().optional(),
  dpv: dpvConcepts.optional(),
});

const collectionPoint = z.strictObject({
  title: localized,
  description: localized.optional(),
  fields: idList('must list at least one field'),
  purposes: idList('must announce at least one purpose'),
  source: z.enum(['subject', 'third-party', 'entrusted']).optional(),
  optional: idList().optional(),
});

/**
 * An e-mail address: at most 254 characters (RFC 5321), checked before the address pattern, so
 * a huge string is refused without being read (measured: zod's own `max` reads a large
 * two-byte string; `bench/cases/hostile-input.ts`).
 */
const contactEmail = z
  .string()
  .refine((s) => s.length <= 254, { message: 'must be at most 254 characters (RFC 5321)', abort: true })
  .pipe(z.email());

/** A vendor's contact point (issue 13: 27560 records need each recipient's contact and address). */
const contactSchema = z.strictObject({
  department: localized.optional(),
  email: contactEmail.optional(),
  phone: z.string().min(1).optional(),
  url: z.url().optional(),
  address: localized.optional(),
});

const vendor = z.strictObject({
  name: localized,
  description: localized.optional(),
  role: z.enum(['contractor', 'third-party', 'joint-user']),
  fields: idList('must list at least one field'),
  purposes: idList('must list at least one purpose'),
  contract: z.string().min(1).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as JP'),
  foreign: foreignRecipientSchema.optional(),
  jointUse: jointUseSchema.optional(),
  optOut: optOutSchema.optional(),
  contact: contactSchema.optional(),
});

const record = <T extends z.ZodType>(value: T) => z.record(idKey, value);

const policySchema = z.strictObject({
  id: idKey,
  version: z.string().min(1).max(64),
  effective: isoDate,
  languages: z.array(z.enum(LANGUAGES)).min(1).readonly().optional(),
  title: localized.optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  controller: z.strictObject({
    name: localized,
    shortName: localized.optional(),
    address: localized.optional(),
    representative: localized.optional(),
    contact: z.strictObject({
      department: localized.optional(),
      email: contactEmail.optional(),
      phone: z.string().min(1).optional(),
      url: z.url().optional(),
      address: localized.optional(),
    }),
  }),
  purposes: record(purpose).refine((r) => Object.keys(r).length > 0, 'must define at least one purpose'),
  fields: record(field),
  collectionPoints: record(collectionPoint),
  vendors: record(vendor).optional(),
  exceptions: z
    .array(z.enum(LEGAL_EXCEPTION_IDS as [string, ...string[]]))
    .readonly()
    .optional(),
  provisionRecordRetention: duration.optional(),
  prose: z.record(idKey, localized).optional(),
  retainedData: retainedDataSchema.optional(),
});

type Parsed = z.infer<typeof policySchema>;

/** What the cross-reference checks see: the well-formed parts of a spec (possibly partial). */
interface View {
  readonly languages?: Parsed['languages'];
  readonly title?: Parsed['title'];
  readonly controller?: Parsed['controller'];
  readonly purposes: Parsed['purposes'];
  readonly fields: Parsed['fields'];
  readonly collectionPoints: Parsed['collectionPoints'];
  readonly vendors?: Parsed['vendors'];
  readonly exceptions?: Parsed['exceptions'];
  readonly prose?: Parsed['prose'];
  readonly retainedData?: Parsed['retainedData'];
}

/** Every id defined by a section, well-formed or not (so a broken entry is not also reported as "unknown"). */
interface KnownIds {
  readonly purposes: ReadonlySet<string>;
  readonly fields: ReadonlySet<string>;
}

/** Render a path like `fields.email.purposes[1]`; a key that is not id-shaped shows as `<invalid key>`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const text = typeof seg === 'string' && (isSafeId(seg) || seg === '__proto__') ? seg : '<invalid key>';
      out += out === '' ? text : `.${text}`;
    }
  }
  return out;
}

function structuralIssues(issues: readonly z.core.$ZodIssue[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') {
      // zod's message repeats the keys verbatim: rebuild it with safe paths instead.
      for (const key of i.keys) {
        out.push({
          path: formatPath([...i.path, key]),
          message: key === '__proto__' ? 'is a reserved name and cannot be used as a key' : 'is not a known key here',
        });
      }
    } else if (i.code === 'invalid_key') {
      // The key's own rule (id grammar, reserved name) is more useful than "Invalid key in record".
      const inner = i.issues.map((k) => k.message).join('; ');
      out.push({ path: formatPath(i.path), message: `key ${inner || 'is not a valid id'}` });
    } else out.push({ path: formatPath(i.path), message: i.message });
  }
  return out;
}

const sectionSchemas = { purposes: purpose, fields: field, collectionPoints: collectionPoint, vendors: vendor } as const;

/** The entries of a record section that are well-formed on their own. */
function wellFormedEntries<T>(raw: unknown, schema: z.ZodType<T>): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    if (!idKey.safeParse(key).success) continue;
    const r = schema.safeParse(value);
    if (r.success) out[key] = r.data;
  }
  return out;
}

function idsOf(raw: unknown): Set<string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return new Set();
  return new Set(Object.keys(raw).filter((k) => idKey.safeParse(k).success));
}

/** Own `__proto__` keys (as `JSON.parse` makes them) anywhere in the plain part of a spec. */
function protoKeyIssues(value: unknown, path: PropertyKey[], out: PolicyIssue[], depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 32 || '_zod' in value) return;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') out.push({ path: formatPath([...path, key]), message: 'is a reserved name and cannot be used as a key' });
    else protoKeyIssues((value as Record<string, unknown>)[key], [...path, Array.isArray(value) ? Number(key) : key], out, depth + 1);
  }
}

/** Validate a spec; returns every problem found (empty when valid). */
export function validatePolicySpec(spec: unknown): PolicyIssue[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    return [{ path: '', message: 'policy spec must be an object' }];
  }
  const raw = spec as Record<string, unknown>;
  const issues: PolicyIssue[] = [];
  protoKeyIssues(raw, [], issues);
  const known: KnownIds = { purposes: idsOf(raw.purposes), fields: idsOf(raw.fields) };
  const parsed = policySchema.safeParse(spec);
  if (parsed.success) {
    issues.push(...crossCheck(parsed.data, known));
  } else {
    // Report the structural problems, then cross-check whatever is well-formed, so one run
    // lists every problem (a bad retention does not hide an unknown purpose elsewhere).
    issues.push(...structuralIssues(parsed.error.issues));
    const part = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
      const r = schema.safeParse(value);
      return r.success ? r.data : undefined;
    };
    const view: View = {
      purposes: wellFormedEntries(raw.purposes, sectionSchemas.purposes),
      fields: wellFormedEntries(raw.fields, sectionSchemas.fields),
      collectionPoints: wellFormedEntries(raw.collectionPoints, sectionSchemas.collectionPoints),
      vendors: wellFormedEntries(raw.vendors, sectionSchemas.vendors),
    };
    const optional = {
      languages: part(policySchema.shape.languages, raw.languages),
      title: part(policySchema.shape.title, raw.title),
      controller: part(policySchema.shape.controller, raw.controller),
      exceptions: part(policySchema.shape.exceptions, raw.exceptions),
      prose: part(policySchema.shape.prose, raw.prose),
      retainedData: part(policySchema.shape.retainedData, raw.retainedData),
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) (view as unknown as Record<string, unknown>)[k] = v;
    issues.push(...crossCheck(view, known));
  }
  // One problem may be found twice (e.g. a reserved key seen by both passes).
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function crossCheck(s: View, known: KnownIds): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const add = (path: string, message: string): void => void issues.push({ path, message });
  const langs: readonly Lang[] = s.languages ?? LANGUAGES;
  const purposes = known.purposes;
  const fields = known.fields;

  const checkText = (path: string, text: Record<string, string | undefined> | undefined, required: boolean): void => {
    if (text === undefined) {
      if (required) add(path, 'is required');
      return;
    }
    for (const lang of langs) {
      if (!text[lang]?.trim()) add(`${path}.${lang}`, `missing ${lang === 'ja' ? 'Japanese' : 'English'} text`);
    }
  };
  const checkRefs = (path: string, ids: readonly string[], defined: ReadonlySet<string>, kind: string): void => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (!defined.has(id)) add(`${path}[${i}]`, `unknown ${kind} ${quote(id)}`);
      if (seen.has(id)) add(`${path}[${i}]`, `duplicate ${kind} ${quote(id)}`);
      seen.add(id);
    });
  };
  const checkCaseDuplicates = (path: string, ids: string[]): void => {
    const lower = new Map<string, string>();
    for (const id of ids) {
      const prior = lower.get(id.toLowerCase());
      if (prior !== undefined) add(`${path}.${id}`, `duplicate id: "${id}" differs from "${prior}" only in case`);
      lower.set(id.toLowerCase(), id);
    }
  };

  if (s.languages && new Set(s.languages).size !== s.languages.length) add('languages', 'lists a language twice');
  checkText('title', s.title, false);
  if (s.controller) {
    checkText('controller.name', s.controller.name, true);
    checkText('controller.shortName', s.controller.shortName, false);
    checkText('controller.address', s.controller.address, false);
    checkText('controller.representative', s.controller.representative, false);
    checkText('controller.contact.department', s.controller.contact.department, false);
    checkText('controller.contact.address', s.controller.contact.address, false);
    const c = s.controller.contact;
    if (!c.email && !c.phone && !c.url && !c.address) add('controller.contact', 'needs at least one of email, phone, url or address');
  }

  checkCaseDuplicates('purposes', Object.keys(s.purposes));
  checkCaseDuplicates('fields', Object.keys(s.fields));
  checkCaseDuplicates('collectionPoints', Object.keys(s.collectionPoints));
  checkCaseDuplicates('vendors', Object.keys(s.vendors ?? {}));

  for (const [id, p] of Object.entries(s.purposes)) {
    checkText(`purposes.${id}.title`, p.title, true);
    checkText(`purposes.${id}.description`, p.description, true);
    if (p.parent !== undefined && !purposes.has(p.parent)) add(`purposes.${id}.parent`, `unknown purpose ${quote(p.parent)}`);
    const parentSpec = p.parent !== undefined && Object.hasOwn(s.purposes, p.parent) ? s.purposes[p.parent] : undefined;
    if (parentSpec !== undefined && (parentSpec.scope ?? 'announced') !== (p.scope ?? 'announced')) {
      add(`purposes.${id}.parent`, 'a purpose and its parent must have the same scope');
    }
  }
  // Cycles in parent links: each purpose is visited once (linear in the number of purposes).
  for (const cycle of parentCycles(s)) {
    cycle.forEach((id, i) => {
      const from = [...cycle.slice(i), ...cycle.slice(0, i), id];
      const shown = from.length <= CYCLE_SHOWN ? from.join(' -> ') : `${from.slice(0, CYCLE_SHOWN - 1).join(' -> ')} -> … (${cycle.length} purposes) -> ${id}`;
      add(`purposes.${id}.parent`, `parent chain forms a cycle: ${shown}`);
    });
  }
  const allowedIn = allowedPurposes(s);

  for (const [id, f] of Object.entries(s.fields)) {
    checkText(`fields.${id}.title`, f.title, true);
    checkText(`fields.${id}.description`, f.description, false);
    checkRefs(`fields.${id}.purposes`, f.purposes, purposes, 'purpose');
    f.purposes.forEach((p, i) => {
      if (own(s.purposes, p)?.scope === 'outside') add(`fields.${id}.purposes[${i}]`, `purpose "${p}" has scope "outside": no field may list it (use readOutsidePurpose)`);
    });
  }

  for (const [id, cp] of Object.entries(s.collectionPoints)) {
    const path = `collectionPoints.${id}`;
    checkText(`${path}.title`, cp.title, true);
    checkText(`${path}.description`, cp.description, false);
    checkRefs(`${path}.fields`, cp.fields, fields, 'field');
    checkRefs(`${path}.purposes`, cp.purposes, purposes, 'purpose');
    cp.purposes.forEach((p, i) => {
      if (own(s.purposes, p)?.scope === 'outside') add(`${path}.purposes[${i}]`, `purpose "${p}" has scope "outside" and cannot be announced at collection`);
    });
    cp.optional?.forEach((f, i) => {
      if (!cp.fields.includes(f)) add(`${path}.optional[${i}]`, `${quote(f)} is not among the fields collected here`);
    });
    if (cp.source === 'entrusted' && cp.purposes.length !== 1) {
      add(`${path}.purposes`, 'an entrusted collection point announces exactly one purpose: the entrusted operation (§11)');
    }
    // Art. 21: each field collected here must be usable for at least one announced purpose.
    for (const f of cp.fields) {
      const allowed = own(s.fields, f)?.purposes;
      if (allowed && !cp.purposes.some((p) => allowedIn(f).has(p))) {
        add(`${path}.fields`, `field "${f}" is collected here but none of its purposes is announced here (APPI Art. 21)`);
      }
    }
  }

  for (const [id, v] of Object.entries(s.vendors ?? {})) {
    const path = `vendors.${id}`;
    checkText(`${path}.name`, v.name, true);
    checkText(`${path}.description`, v.description, false);
    checkText(`${path}.contact.department`, v.contact?.department, false);
    checkText(`${path}.contact.address`, v.contact?.address, false);
    checkRefs(`${path}.fields`, v.fields, fields, 'field');
    checkRefs(`${path}.purposes`, v.purposes, purposes, 'purpose');
    if (v.role === 'contractor' && !v.contract) add(`${path}.contract`, 'a contractor needs a contract reference (supervision under contract, APPI Art. 25)');
    for (const f of v.fields) {
      if (own(s.fields, f) !== undefined && !v.purposes.some((p) => allowedIn(f).has(p))) {
        add(`${path}.fields`, `field "${f}" is not allowed for any purpose this vendor receives it for`);
      }
    }
  }

  if (s.exceptions && new Set(s.exceptions).size !== s.exceptions.length) add('exceptions', 'lists an exception twice');
  for (const [key, text] of Object.entries(s.prose ?? {})) checkText(`prose.${key}`, text, true);
  issues.push(...appiIssues(s, langs, checkText));
  return issues;
}

/** Purposes of a cycle shown in full in its message; longer cycles are shortened. */
const CYCLE_SHOWN = 12;

/**
 * The cycles of the parent links, each as its members in parent order. Every purpose is
 * visited once: a walk stops at a purpose an earlier walk finished, or at one of its own path
 * (a cycle). Linear in the number of purposes, whatever the depth of the chains.
 */
function parentCycles(s: View): string[][] {
  const done = new Set<string>();
  const cycles: string[][] = [];
  for (const start of Object.keys(s.purposes)) {
    const onPath = new Map<string, number>();
    const path: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && Object.hasOwn(s.purposes, cur) && !done.has(cur)) {
      const at = onPath.get(cur);
      if (at !== undefined) {
        cycles.push(path.slice(at));
        break;
      }
      onPath.set(cur, path.length);
      path.push(cur);
      cur = own(s.purposes, cur)?.parent;
    }
    for (const id of path) done.add(id);
  }
  return cycles;
}

/**
 * For each field, the purposes it may be used for: its own purposes and all their descendants
 * (children inherit their parent's fields). Computed per field on first use by one walk down
 * the child links: linear in the number of purposes per field.
 */
function allowedPurposes(s: View): (field: string) => ReadonlySet<string> {
  const children = new Map<string, string[]>();
  for (const [id, p] of Object.entries(s.purposes)) {
    if (p.parent === undefined || p.parent === id) continue;
    const list = children.get(p.parent);
    if (list === undefined) children.set(p.parent, [id]);
    else list.push(id);
  }
  const memo = new Map<string, ReadonlySet<string>>();
  return (field) => {
    const known = memo.get(field);
    if (known !== undefined) return known;
    const allowed = new Set<string>();
    const stack = [...(own(s.fields, field)?.purposes ?? [])];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (allowed.has(id)) continue;
      allowed.add(id);
      for (const child of children.get(id) ?? []) stack.push(child);
    }
    memo.set(field, allowed);
    return allowed;
  };
}

/** An own entry of a record (never an inherited `Object.prototype` member). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A referenced id in a message: quoted when id-shaped, else described without repeating it. */
function quote(id: string): string {
  return isSafeId(id) ? `"${id}"` : safeId(id);
}
