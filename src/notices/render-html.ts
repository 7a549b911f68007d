/**
 * HTML writer of a {@link NoticeDocument}: an accessible fragment (`<article lang>` with one
 * `<h1>`, a `<section aria-labelledby>` per section, lists as `<ol>`/`<ul>`) or a full page
 * (`<!DOCTYPE html>`, `<html lang>`, `<meta charset>`, `<title>`). No scripts, no event
 * handlers, no inline styles on elements; every string from the policy is escaped, and links
 * are emitted only for `http:`, `https:` and `mailto:` addresses.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { isSafeHref, type NoticeBlock, type NoticeDocument, type NoticeInline, type NoticeSection } from './model.js';
import { cleanText } from './render-text.js';

/**
 * Options of {@link renderHtml}.
 *
 * @example
 * ```ts
 * renderHtml(doc, { page: true, idPrefix: 'privacy-' });
 * ```
 */
export interface HtmlOptions {
  /** A full HTML page instead of a fragment. Default `false`. */
  readonly page?: boolean;
  /** Prefix of the heading ids (to keep ids unique when several notices share a page). Default `pb-<kind>-`. */
  readonly idPrefix?: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @param value - plain text
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src=x onerror=alert(1)&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return cleanText(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function inline(content: readonly NoticeInline[]): string {
  let s = '';
  for (const r of content) {
    const t = escapeHtml(r.text);
    if (r.kind === 'strong') s += `<strong>${t}</strong>`;
    else if (r.kind === 'link' && isSafeHref(r.href)) s += `<a href="${escapeHtml(r.href)}">${t}</a>`;
    else s += t;
  }
  return s.trim();
}

function blocks(list: readonly NoticeBlock[], out: string[]): void {
  for (const b of list) {
    if (b.kind === 'paragraph') {
      out.push(`<p>${inline(b.content)}</p>`);
      continue;
    }
    const tag = b.ordered ? 'ol' : 'ul';
    out.push(`<${tag}>`);
    for (const it of b.items) {
      if (it.children && it.children.length > 0) {
        out.push(`<li>${inline(it.content)}`);
        blocks(it.children, out);
        out.push('</li>');
      } else out.push(`<li>${inline(it.content)}</li>`);
    }
    out.push(`</${tag}>`);
  }
}

/** The page title: the document title (a collection notice adds its collection point), at most 70 characters. */
function pageTitle(doc: NoticeDocument): string {
  const ja = doc.lang === 'ja';
  const full = doc.kind === 'collection' && doc.subtitle !== undefined ? (ja ? `個人情報の取扱い（${doc.subtitle}）` : `Privacy notice: ${doc.subtitle}`) : doc.title;
  const chars = [...cleanText(full).trim()];
  return chars.length <= 70 ? chars.join('') : `${chars.slice(0, 69).join('')}…`;
}

const PAGE_STYLE =
  'body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;line-height:1.7;margin:0;padding:2rem 1rem;color:#1a1a1a;background:#fff}' +
  'main{max-width:46rem;margin:0 auto}h1{font-size:1.6rem;line-height:1.3}h2{font-size:1.2rem;margin-top:2rem}li{margin:.25rem 0}a{color:#0645ad}footer{margin-top:2.5rem;border-top:1px solid #ccc}';

/**
 * Write a notice document as HTML.
 *
 * @param doc - a document from one of the `build*Document` functions
 * @param options - `page` for a whole page; `idPrefix` for heading ids
 * @throws InvalidArgumentError when `idPrefix` is not a valid id prefix
 * @example
 * ```ts
 * const html = renderHtml(buildPolicyDocument(ji4pePolicy, 'ja'), { page: true });
 * html.startsWith('<!DOCTYPE html>'); // true
 * ```
 */
export function renderHtml(doc: NoticeDocument, options: HtmlOptions = {}): string {
  const prefix = options.idPrefix ?? `pb-${doc.kind}-`;
  if (typeof prefix !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(prefix)) {
    throw new InvalidArgumentError('options.idPrefix', 'must start with a letter and hold only letters, digits, "_" or "-" (max 41)');
  }
  const ja = doc.lang === 'ja';
  const out: string[] = [`<article class="purpose-bound-notice" lang="${doc.lang}">`, '<header>', `<h1>${escapeHtml(doc.title)}</h1>`];
  if (doc.subtitle !== undefined) out.push(`<p>${escapeHtml(doc.subtitle)}</p>`);
  out.push('</header>');
  blocks(doc.intro, out);
  const section = (s: NoticeSection, level: number): void => {
    const id = `${prefix}${s.id}`;
    const number = s.number === undefined ? '' : ja ? `${s.number}．` : `${s.number}. `;
    out.push(`<section aria-labelledby="${id}">`, `<h${level} id="${id}">${number}${escapeHtml(s.heading)}</h${level}>`);
    blocks(s.blocks, out);
    for (const sub of s.sections ?? []) section(sub, Math.min(level + 1, 6));
    out.push('</section>');
  };
  for (const s of doc.sections) section(s, 2);
  if (doc.closing.length > 0) {
    out.push('<footer>');
    blocks(doc.closing, out);
    out.push('</footer>');
  }
  out.push('</article>');
  const fragment = out.join('\n');
  if (options.page !== true) return `${fragment}\n`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(pageTitle(doc))}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    fragment,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
