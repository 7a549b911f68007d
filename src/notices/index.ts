/**
 * Notices generated from the policy: the notice at collection, the full privacy policy and the
 * change notice, in English and Japanese, as text, Markdown or HTML.
 *
 * @module
 */
export { buildChangeDocument } from './change-notice.js';
export { buildCollectionDocument } from './collection-notice.js';
export { diffPolicies, type ChangeRequirement, type PolicyChange, type PolicyChangeKind, type PolicyDiff } from './diff.js';
export { PolicyMismatchError, ProseMissingError, PublishedItemsMissingError, TranslationMissingError } from './errors.js';
export { missingPublishedItems } from './published-items.js';
export { buildPolicyDocument, missingProse, type PolicyDocumentOptions } from './full-policy.js';
export { formatNoticeDate, formatNoticeDuration } from './localize.js';
export type { NoticeBlock, NoticeDocument, NoticeInline, NoticeListItem, NoticeSection } from './model.js';
export { escapeHtml, renderHtml, type HtmlOptions } from './render-html.js';
export { escapeMarkdown, renderMarkdown } from './render-markdown.js';
export {
  buildNotice,
  NOTICE_FORMATS,
  NOTICE_KINDS,
  renderChangeNotice,
  renderCollectionNotice,
  renderDocument,
  renderNotice,
  renderPolicy,
  type NoticeFormat,
  type NoticeFormatOptions,
  type NoticeKind,
  type RenderNoticeOptions,
} from './render-notice.js';
export { renderText } from './render-text.js';
export { NOTICE_PROSE_EXTRA_KEYS, NOTICE_SECTIONS, type NoticeSectionSpec, type ProseRequirement } from './sections.js';
