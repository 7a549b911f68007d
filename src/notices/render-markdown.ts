/**
 * CommonMark writer of a {@link NoticeDocument}. Every string from the policy is escaped, so it
 * can neither start a Markdown construct (heading, list, code block, table, link) nor carry raw
 * HTML: `<img onerror=…>` in a purpose title renders as those characters.
 *
 * @module
 */
import { isSafeHref, type NoticeBlock, type NoticeDocument, type NoticeInline, type NoticeSection } from './model.js';
import { cleanText } from './render-text.js';

/** Characters that are Markdown syntax anywhere in a line (incl. GFM tables and strikethrough). */
const INLINE_SPECIAL = /[\\`*_[\]<>&|~#!]/g;

/**
 * Escape policy text for Markdown: backslash-escape inline syntax everywhere, and what would
 * open a block at the start of a line (`+`, `-`, `=`, `1.`, `1)`).
 *
 * @param value - plain text
 * @example
 * ```ts
 * escapeMarkdown('<img src=x onerror=alert(1)>'); // '\\<img src=x onerror=alert(1)\\>'
 * ```
 */
export function escapeMarkdown(value: string): string {
  return cleanText(value).replace(INLINE_SPECIAL, '\\$&');
}

function escapeBlockStart(line: string): string {
  return line.replace(/^([+\-=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function inline(content: readonly NoticeInline[]): string {
  let s = '';
  for (const r of content) {
    const t = escapeMarkdown(r.text);
    if (r.kind === 'strong') s += t.trim() === '' ? t : t.replace(/^( *)(.*?)( *)$/, '$1**$2**$3');
    else if (r.kind === 'link' && isSafeHref(r.href)) s += `[${t}](<${r.href}>)`;
    else s += t;
  }
  return escapeBlockStart(s.trim());
}

/**
 * Write a notice document as CommonMark (GFM-safe).
 *
 * @param doc - a document from one of the `build*Document` functions
 * @example
 * ```ts
 * renderMarkdown(buildPolicyDocument(ji4pePolicy, 'ja')).split('\n')[0]; // '# Ji4pe プライバシーポリシー（個人情報保護方針）'
 * ```
 */
export function renderMarkdown(doc: NoticeDocument): string {
  const ja = doc.lang === 'ja';
  const out: string[] = [`# ${escapeMarkdown(doc.title).trim()}`, ''];
  if (doc.subtitle !== undefined) out.push(escapeBlockStart(escapeMarkdown(doc.subtitle).trim()), '');
  const blocks = (list: readonly NoticeBlock[], indent: string): void => {
    for (const b of list) {
      if (b.kind === 'paragraph') {
        out.push(indent + inline(b.content), '');
        continue;
      }
      b.items.forEach((it, i) => {
        const marker = b.ordered ? `${i + 1}. ` : '- ';
        out.push(indent + marker + inline(it.content));
        if (it.children && it.children.length > 0) {
          const childIndent = indent + ' '.repeat(marker.length);
          // A nested list follows its item directly; a nested paragraph after a blank line.
          for (const child of it.children) {
            if (child.kind === 'paragraph') out.push('');
            blocks([child], childIndent);
            if (out[out.length - 1] === '') out.pop();
          }
        }
      });
      out.push('');
    }
  };
  const section = (s: NoticeSection, level: number): void => {
    const number = s.number === undefined ? '' : ja ? `${s.number}．` : `${s.number}\\. `;
    out.push(`${'#'.repeat(level)} ${number}${escapeMarkdown(s.heading).trim()}`, '');
    blocks(s.blocks, '');
    for (const sub of s.sections ?? []) section(sub, Math.min(level + 1, 6));
  };
  blocks(doc.intro, '');
  for (const s of doc.sections) section(s, 2);
  if (doc.closing.length > 0) {
    out.push('---', '');
    blocks(doc.closing, '');
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
