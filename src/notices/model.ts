/**
 * The structured document every notice is built as, before it is written as text, Markdown
 * or HTML. Strings in the model are plain text (never markup): each renderer escapes them for
 * its format, so a policy string can never inject markup.
 *
 * @module
 */
import type { Lang } from '../i18n.js';

/**
 * A run of text inside a paragraph or list item.
 *
 * @example
 * ```ts
 * const run: NoticeInline = { kind: 'link', text: 'privacy@shop.example', href: 'mailto:privacy@shop.example' };
 * ```
 */
export type NoticeInline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly text: string }
  /** A link; renderers emit it as a link only for `http:`, `https:` and `mailto:` addresses. */
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

/**
 * An item of a list: its text, and optionally nested blocks (e.g. a sub-list).
 *
 * @example
 * ```ts
 * const item: NoticeListItem = { content: [{ kind: 'text', text: 'Name' }] };
 * ```
 */
export interface NoticeListItem {
  readonly content: readonly NoticeInline[];
  readonly children?: readonly NoticeBlock[];
}

/**
 * A block of a section: a paragraph or a list.
 *
 * @example
 * ```ts
 * const block: NoticeBlock = { kind: 'paragraph', content: [{ kind: 'text', text: 'We keep it for 3 years.' }] };
 * ```
 */
export type NoticeBlock =
  | { readonly kind: 'paragraph'; readonly content: readonly NoticeInline[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly NoticeListItem[] };

/**
 * A section: a heading and its blocks, optionally sub-sections one heading level down.
 *
 * @example
 * ```ts
 * const headings = buildNotice(policy, { kind: 'policy', lang: 'en' }).sections.map((s: NoticeSection) => s.heading);
 * ```
 */
export interface NoticeSection {
  /** Stable id (e.g. `purposes`); HTML uses it for the heading's `id`. */
  readonly id: string;
  /** Heading text, without a number. */
  readonly heading: string;
  /** Section number shown before the heading (the full policy numbers its 18 sections). */
  readonly number?: number;
  readonly blocks: readonly NoticeBlock[];
  readonly sections?: readonly NoticeSection[];
}

/**
 * A whole notice, before it is written in a format.
 *
 * @example
 * ```ts
 * const doc: NoticeDocument = buildNotice(policy, { kind: 'collection', collectionPoint: 'inquiry', lang: 'ja' });
 * renderDocument(doc, { format: 'html' });
 * ```
 */
export interface NoticeDocument {
  /** `disclosure`: the data-subject disclosure report of the request desk (src/requests); `breach`: a leakage report or notice (src/breach). */
  readonly kind: 'collection' | 'policy' | 'change' | 'disclosure' | 'breach';
  readonly lang: Lang;
  /** The document title (the only level-1 heading). */
  readonly title: string;
  /** A line under the title, e.g. the operator's name or the collection point. */
  readonly subtitle?: string;
  /** Blocks before the first section. */
  readonly intro: readonly NoticeBlock[];
  readonly sections: readonly NoticeSection[];
  /** Blocks after the last section (operator, effective date, version). */
  readonly closing: readonly NoticeBlock[];
  /** Facts about the source, for renderers and callers (never rendered as markup). */
  readonly meta: { readonly policyId: string; readonly version: string; readonly effective: string };
}

/** @internal a text run. */
export const text = (value: string): NoticeInline => ({ kind: 'text', text: value });
/** @internal a strong run. */
export const strong = (value: string): NoticeInline => ({ kind: 'strong', text: value });
/** @internal a link run. */
export const link = (value: string, href: string): NoticeInline => ({ kind: 'link', text: value, href });
/** @internal a paragraph. */
export const para = (...content: NoticeInline[]): NoticeBlock => ({ kind: 'paragraph', content });
/** @internal a paragraph of one plain text run. */
export const p = (value: string): NoticeBlock => ({ kind: 'paragraph', content: [text(value)] });
/** @internal a list. */
export const list = (items: readonly NoticeListItem[], ordered = false): NoticeBlock => ({ kind: 'list', ordered, items });
/** @internal a list item. */
export const item = (content: readonly NoticeInline[] | string, children?: readonly NoticeBlock[]): NoticeListItem =>
  children && children.length > 0
    ? { content: typeof content === 'string' ? [text(content)] : content, children }
    : { content: typeof content === 'string' ? [text(content)] : content };

/** @internal is this address safe to emit as a link (`http:`, `https:`, `mailto:`)? */
export function isSafeHref(href: string): boolean {
  return /^(?:https?:\/\/|mailto:)[^\s<>"'`\\]+$/i.test(href);
}
