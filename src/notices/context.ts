/**
 * What every notice builder needs: the policy, the language, localised lookups and the facts
 * derived from the policy (which purposes are announced, which are incidental, which data is
 * entrusted...).
 *
 * @module
 */
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { PurposeSpec, VendorSpec } from '../policy/spec.js';
import { TranslationMissingError } from '../errors.js';
import { capitalize, formatNoticeDuration, joinWords } from './localize.js';

/** @internal */
export interface NoticeContext {
  readonly policy: AnyPolicy;
  readonly lang: Lang;
  /** Localised text (present for every declared language: `definePolicy` checked it). */
  t(value: Localized): string;
  /** Localised optional text. */
  opt(value: Localized | undefined): string | undefined;
  /** The operator's full name. */
  readonly orgName: string;
  /** How running text refers to the operator (`the Institute`, `当研究所`). */
  readonly org: string;
  /** The same at the start of an English sentence (`The Institute`). */
  readonly Org: string;
  /** A purpose's title. */
  purposeTitle(id: string): string;
  /** Field titles joined: `name and date of birth` / `氏名及び生年月日`. */
  fieldList(ids: readonly string[]): string;
  /** Retention of a purpose in words. */
  retention(id: string): string;
  /** A localised phrase. */
  l(en: string, ja: string): string;
}

/**
 * Check the language is one the policy declares, before anything is built.
 *
 * @internal
 */
export function assertLanguage(policy: AnyPolicy, lang: unknown): asserts lang is Lang {
  if (typeof lang !== 'string' || !policy.languages.includes(lang as Lang)) {
    throw new TranslationMissingError(lang, policy.id, policy.languages);
  }
}

/** @internal */
export function createContext(policy: AnyPolicy, lang: Lang): NoticeContext {
  const t = (value: Localized): string => value[lang] ?? '';
  const controller = policy.spec.controller;
  const orgName = t(controller.name);
  const short = controller.shortName ? t(controller.shortName) : orgName;
  const fieldTitle = (id: string): string => {
    const title = t(policy.field(id).title);
    return lang === 'en' ? lowerFirst(title) : title;
  };
  return {
    policy,
    lang,
    t,
    opt: (value) => (value === undefined ? undefined : value[lang]),
    orgName,
    org: short,
    Org: lang === 'en' ? capitalize(short) : short,
    purposeTitle: (id) => t(policy.purpose(id).title),
    fieldList: (ids) => joinWords(ids.map(fieldTitle), lang, 'and'),
    retention: (id) => formatNoticeDuration(policy.retention(id), lang),
    l: (en, ja) => (lang === 'ja' ? ja : en),
  };
}

/** "E-mail address" in running text: "e-mail address"; keeps acronyms ("URL", "SSL number") as they are. */
function lowerFirst(value: string): string {
  return /^[A-Z](?![A-Z])/.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value;
}

/** @internal purposes that are announced (not `outside`). */
export function isAnnounced(p: PurposeSpec): boolean {
  return (p.scope ?? 'announced') === 'announced';
}

/**
 * Purposes announced only at entrusted collection points (the entrusted operation of §11):
 * they are the client's purposes, not the operator's own, and the full policy lists them in
 * the entrusted section rather than among the purposes of use.
 *
 * @internal
 */
export function entrustedOnlyPurposes(policy: AnyPolicy): Set<string> {
  const own = new Set<string>();
  const entrusted = new Set<string>();
  for (const id of policy.collectionPointIds) {
    const cp = policy.collectionPoint(id);
    for (const p of cp.purposes) ((cp.source ?? 'subject') === 'entrusted' ? entrusted : own).add(p);
  }
  for (const p of own) entrusted.delete(p);
  // Children of an entrusted-only purpose are entrusted too.
  for (const id of policy.purposeIds) if (policy.lineage(id).some((q: string) => entrusted.has(q) && q !== id)) entrusted.add(id);
  return entrusted;
}

/** @internal a purpose and every descendant, depth first. */
export function withDescendants(policy: AnyPolicy, roots: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (id: string): void => {
    if (out.includes(id)) return;
    out.push(id);
    for (const c of policy.children(id)) visit(c);
  };
  for (const r of roots) visit(r);
  return out;
}

/** @internal vendors of a role, as `[id, spec]` pairs in declaration order. */
export function vendorsOf(policy: AnyPolicy, role: VendorSpec['role']): [string, VendorSpec][] {
  return policy.vendorIds.map((id: string) => [id, policy.vendor(id)] as [string, VendorSpec]).filter(([, v]) => v.role === role);
}
