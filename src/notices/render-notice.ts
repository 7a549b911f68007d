/**
 * `renderNotice` and its shortcuts: one call from a policy to a notice in a language and a
 * format. Every check (language, collection point, previous version, prose) runs before any
 * output is built.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang } from '../i18n.js';
import { type AnyPolicy, isPolicy } from '../policy/define-policy.js';
import { safeId } from '../util/safe-id.js';
import { buildChangeDocument } from './change-notice.js';
import { buildCollectionDocument } from './collection-notice.js';
import { buildPolicyDocument } from './full-policy.js';
import type { NoticeDocument } from './model.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';

/**
 * The kinds of notice: at collection (APPI Art. 21), the full policy, a change notice.
 *
 * @example
 * ```ts
 * const kind: NoticeKind = 'collection';
 * ```
 */
export type NoticeKind = 'collection' | 'policy' | 'change';
/**
 * Output formats.
 *
 * @example
 * ```ts
 * const format: NoticeFormat = 'markdown';
 * ```
 */
export type NoticeFormat = 'text' | 'markdown' | 'html';

/**
 * Every notice kind.
 *
 * @example
 * ```ts
 * NOTICE_KINDS; // ['collection', 'policy', 'change']
 * ```
 */
export const NOTICE_KINDS: readonly NoticeKind[] = Object.freeze(['collection', 'policy', 'change']);
/**
 * Every output format.
 *
 * @example
 * ```ts
 * for (const format of NOTICE_FORMATS) renderPolicy(policy, { lang: 'ja', format });
 * ```
 */
export const NOTICE_FORMATS: readonly NoticeFormat[] = Object.freeze(['text', 'markdown', 'html']);

/**
 * Options every format shares.
 *
 * @example
 * ```ts
 * const options: NoticeFormatOptions = { lang: 'ja', format: 'html', page: true };
 * ```
 */
export interface NoticeFormatOptions {
  /** A language the policy declares. */
  readonly lang: Lang;
  /** Default `'text'`. */
  readonly format?: NoticeFormat;
  /** HTML only: a whole page (`<!DOCTYPE html>`, `<html lang>`, `<meta charset>`, `<title>`) instead of a fragment. */
  readonly page?: boolean;
  /** HTML only: prefix of heading ids. Default `pb-<kind>-`. */
  readonly idPrefix?: string;
}

/**
 * Options of {@link renderNotice}.
 *
 * @example
 * ```ts
 * const options: RenderNoticeOptions = { kind: 'collection', collectionPoint: 'inquiry', lang: 'en', format: 'markdown' };
 * ```
 */
export interface RenderNoticeOptions extends NoticeFormatOptions {
  readonly kind: NoticeKind;
  /** `collection` only (required there): the collection point the notice is for. */
  readonly collectionPoint?: string;
  /** `change` only (required there): the version in force before `policy`. */
  readonly previous?: AnyPolicy;
  /** `policy` only: leave out sections whose required prose is missing instead of throwing. */
  readonly omitMissingProse?: boolean;
}

function check(options: unknown): asserts options is RenderNoticeOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with kind, lang and format');
  const o = options as Record<string, unknown>;
  if (!NOTICE_KINDS.includes(o.kind as NoticeKind)) throw new InvalidArgumentError('options.kind', `must be one of ${NOTICE_KINDS.join(', ')}; got ${safeId(o.kind)}`);
  if (o.format !== undefined && !NOTICE_FORMATS.includes(o.format as NoticeFormat)) {
    throw new InvalidArgumentError('options.format', `must be one of ${NOTICE_FORMATS.join(', ')}; got ${safeId(o.format)}`);
  }
  if ((o.page !== undefined || o.idPrefix !== undefined) && o.format !== 'html')
    throw new InvalidArgumentError(o.page !== undefined ? 'options.page' : 'options.idPrefix', 'applies to format "html" only');
  if (o.page !== undefined && typeof o.page !== 'boolean') throw new InvalidArgumentError('options.page', 'must be a boolean');
  if (o.collectionPoint !== undefined && o.kind !== 'collection') throw new InvalidArgumentError('options.collectionPoint', 'applies to kind "collection" only');
  if (o.previous !== undefined && o.kind !== 'change') throw new InvalidArgumentError('options.previous', 'applies to kind "change" only');
  if (o.omitMissingProse !== undefined && o.kind !== 'policy') throw new InvalidArgumentError('options.omitMissingProse', 'applies to kind "policy" only');
  if (o.kind === 'change' && !isPolicy(o.previous))
    throw new InvalidArgumentError('options.previous', 'must be the previous version of the policy (a policy made by definePolicy)');
}

/**
 * Build the document model of a notice (what {@link renderNotice} writes), for callers that
 * want to inspect or render it themselves.
 *
 * @param policy - a policy from `definePolicy` (for `change`: the new version)
 * @param options - see {@link RenderNoticeOptions}
 * @throws TranslationMissingError when the policy (or the previous version) does not declare `options.lang`
 * @throws ProseMissingError when the full policy lacks required prose
 * @throws PolicyMismatchError when `previous` is not an earlier version of the same policy
 * @throws InvalidArgumentError on a bad option (unknown kind or format, missing collection point or previous version)
 * @example
 * ```ts
 * const doc = buildNotice(ji4pePolicy, { kind: 'policy', lang: 'en' });
 * doc.sections.map((s) => s.heading);
 * ```
 */
export function buildNotice(policy: AnyPolicy, options: RenderNoticeOptions): NoticeDocument {
  if (!isPolicy(policy)) throw new InvalidArgumentError('policy', 'must be a policy made by definePolicy');
  check(options);
  switch (options.kind) {
    case 'collection':
      return buildCollectionDocument(policy, options.collectionPoint as string, options.lang);
    case 'policy':
      return buildPolicyDocument(policy, options.lang, options.omitMissingProse === undefined ? {} : { omitMissingProse: options.omitMissingProse });
    case 'change':
      return buildChangeDocument(options.previous as AnyPolicy, policy, options.lang);
  }
}

/**
 * Write a notice document in a format.
 *
 * @param doc - from {@link buildNotice} or a `build*Document` function
 * @param options - format (default `'text'`), and for HTML `page` and `idPrefix`
 * @throws InvalidArgumentError on an unknown format or a bad `idPrefix`
 * @example
 * ```ts
 * renderDocument(buildNotice(ji4pePolicy, { kind: 'policy', lang: 'ja' }), { format: 'markdown' });
 * ```
 */
export function renderDocument(doc: NoticeDocument, options: Omit<NoticeFormatOptions, 'lang'> = {}): string {
  switch (options.format ?? 'text') {
    case 'text':
      return renderText(doc);
    case 'markdown':
      return renderMarkdown(doc);
    case 'html': {
      const html: { page?: boolean; idPrefix?: string } = {};
      if (options.page !== undefined) html.page = options.page;
      if (options.idPrefix !== undefined) html.idPrefix = options.idPrefix;
      return renderHtml(doc, html);
    }
    default:
      throw new InvalidArgumentError('options.format', `must be one of ${NOTICE_FORMATS.join(', ')}`);
  }
}

function formatOptions(options: NoticeFormatOptions): Omit<NoticeFormatOptions, 'lang'> {
  const out: { format?: NoticeFormat; page?: boolean; idPrefix?: string } = {};
  if (options.format !== undefined) out.format = options.format;
  if (options.page !== undefined) out.page = options.page;
  if (options.idPrefix !== undefined) out.idPrefix = options.idPrefix;
  return out;
}

/**
 * Render a notice generated from the policy: the notice at collection for one collection point
 * (APPI Art. 21), the full privacy policy, or a change notice against the previous version.
 * Text, Markdown and HTML are written from one document model; every string from the policy is
 * escaped for the format.
 *
 * @param policy - a policy from `definePolicy` (for `change`: the new version)
 * @param options - kind, language, format, and the kind's own option (`collectionPoint`, `previous`)
 * @returns the notice
 * @throws TranslationMissingError when the policy does not declare `options.lang` (before any output)
 * @throws ProseMissingError when the full policy lacks required prose
 * @throws PolicyMismatchError when `previous` is another policy or a later version
 * @throws InvalidArgumentError on a bad option
 * @example
 * ```ts
 * import { renderNotice } from 'purpose-bound';
 * const html = renderNotice(ji4pePolicy, { kind: 'collection', collectionPoint: 'inquiry', lang: 'ja', format: 'html' });
 * const md = renderNotice(v2, { kind: 'change', previous: v1, lang: 'en', format: 'markdown' });
 * ```
 */
export function renderNotice(policy: AnyPolicy, options: RenderNoticeOptions): string {
  const doc = buildNotice(policy, options);
  return renderDocument(doc, formatOptions(options));
}

/**
 * Render the notice at collection (APPI Art. 21) for one collection point.
 *
 * @param policy - a policy from `definePolicy`
 * @param collectionPoint - id of one of its collection points
 * @param options - language and format
 * @throws TranslationMissingError when the policy does not declare `options.lang`
 * @throws InvalidArgumentError on an unknown collection point or a bad option
 * @example
 * ```ts
 * renderCollectionNotice(ji4pePolicy, 'eventApplication', { lang: 'ja', format: 'markdown' });
 * ```
 */
export function renderCollectionNotice(policy: AnyPolicy, collectionPoint: string, options: NoticeFormatOptions): string {
  return renderNotice(policy, { ...options, kind: 'collection', collectionPoint });
}

/**
 * Render the full privacy policy.
 *
 * @param policy - a policy from `definePolicy`, with prose for the sections that need it
 * @param options - language and format; `omitMissingProse` for drafts
 * @throws TranslationMissingError when the policy does not declare `options.lang`
 * @throws ProseMissingError when required prose is missing
 * @example
 * ```ts
 * const page = renderPolicy(ji4pePolicy, { lang: 'ja', format: 'html', page: true });
 * ```
 */
export function renderPolicy(policy: AnyPolicy, options: NoticeFormatOptions & { readonly omitMissingProse?: boolean }): string {
  return renderNotice(policy, { ...options, kind: 'policy' });
}

/**
 * Render the change notice between two versions of one policy.
 *
 * @param previous - the version in force
 * @param next - the new version
 * @param options - language and format
 * @throws PolicyMismatchError when they are not two versions of one policy
 * @throws TranslationMissingError when either does not declare `options.lang`
 * @example
 * ```ts
 * renderChangeNotice(v1, v2, { lang: 'en', format: 'text' });
 * ```
 */
export function renderChangeNotice(previous: AnyPolicy, next: AnyPolicy, options: NoticeFormatOptions): string {
  return renderNotice(next, { ...options, kind: 'change', previous });
}
