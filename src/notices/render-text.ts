/**
 * Plain-text writer of a {@link NoticeDocument}: numbered headings, `1.` / `（1）` for ordered
 * lists, `-` / `・` for bullets, nested items indented, links as `label (address)`.
 *
 * @module
 */
import type { NoticeBlock, NoticeDocument, NoticeInline, NoticeSection } from './model.js';

/**
 * Policy strings as one line of plain text: ASCII controls and line breaks become spaces, bidi
 * overrides and isolates (which could reorder what a reader sees) are removed, runs of ASCII
 * whitespace collapse. Leading and trailing spaces are kept (runs join into one line); blocks
 * trim their whole line.
 *
 * @internal
 */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u202A-\u202E\u2066-\u2069]/g, '').replace(/[\u0000-\u0020\u007f]+/g, ' ');
}

/**
 * Write a notice document as plain text.
 *
 * @param doc - a document from one of the `build*Document` functions
 * @example
 * ```ts
 * renderText(buildPolicyDocument(ji4pePolicy, 'en')).startsWith('Ji4pe Privacy Policy'); // true
 * ```
 */
export function renderText(doc: NoticeDocument): string {
  const ja = doc.lang === 'ja';
  const out: string[] = [cleanText(doc.title).trim()];
  if (doc.subtitle !== undefined) out.push(cleanText(doc.subtitle).trim());
  out.push('');
  const blocks = (list: readonly NoticeBlock[], indent: string): void => {
    for (const b of list) {
      if (b.kind === 'paragraph') {
        out.push(indent + inline(b.content, ja), '');
        continue;
      }
      b.items.forEach((it, i) => {
        const marker = b.ordered ? (ja ? `（${i + 1}）` : `${i + 1}. `) : ja ? '・' : '- ';
        out.push(indent + marker + inline(it.content, ja));
        if (it.children && it.children.length > 0) {
          const before = out.length;
          blocks(it.children, `${indent}${ja ? '　' : '   '}`);
          // Nested lists stay tight: drop the blank line a nested paragraph leaves at the end.
          if (out.length > before && out[out.length - 1] === '') out.pop();
        }
      });
      out.push('');
    }
  };
  const section = (s: NoticeSection): void => {
    const number = s.number === undefined ? '' : ja ? `${s.number}．` : `${s.number}. `;
    out.push(number + cleanText(s.heading).trim(), '');
    blocks(s.blocks, '');
    for (const sub of s.sections ?? []) section(sub);
  };
  blocks(doc.intro, '');
  for (const s of doc.sections) section(s);
  blocks(doc.closing, '');
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

function inline(content: readonly NoticeInline[], ja: boolean): string {
  let s = '';
  for (const r of content) {
    const t = cleanText(r.text);
    if (r.kind === 'link') {
      const href = cleanText(r.href);
      const shown = href.startsWith('mailto:') ? href.slice(7) : href;
      s += t === shown ? t : ja ? `${t}（${shown}）` : `${t} (${shown})`;
    } else s += t;
  }
  return s.trim();
}
