import { HtmlValidate } from 'html-validate';
import { marked, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, renderNotice, NOTICE_KINDS, type NoticeFormat, type RenderNoticeOptions } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { ji4pePolicy2021 } from '../../examples/ji4pe/notices.js';
import { hostilePolicy, XSS } from './helpers.js';
import { definePolicy } from 'purpose-bound';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** Every notice of a policy in one format and language. */
function allNotices(policy: typeof ji4pePolicy | typeof hostilePolicy, lang: 'en' | 'ja', format: NoticeFormat, page = false): [string, string][] {
  const out: [string, string][] = [[`policy`, renderNotice(policy, { kind: 'policy', lang, format, ...(format === 'html' ? { page } : {}) })]];
  for (const cp of policy.collectionPointIds) {
    out.push([`collection ${cp}`, renderNotice(policy, { kind: 'collection', collectionPoint: cp, lang, format, ...(format === 'html' ? { page } : {}) })]);
  }
  return out;
}

/** Walk marked tokens. */
function walk(tokens: readonly Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    const nested = t as { tokens?: Token[]; items?: Token[] };
    if (nested.tokens) walk(nested.tokens, visit);
    if (nested.items) walk(nested.items, visit);
  }
}

describe('escaping helpers', () => {
  it('escapeHtml turns markup into text', () => {
    expect(escapeHtml(XSS)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
  it('escapeMarkdown escapes inline syntax and raw HTML', () => {
    expect(escapeMarkdown(XSS)).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(escapeMarkdown('**a** [b](c) `d` |e| ~f~ #g &amp;')).toBe('\\*\\*a\\*\\* \\[b\\](c) \\`d\\` \\|e\\| \\~f\\~ \\#g \\&amp;');
  });
});

describe('HTML', () => {
  it('ji4pe notices are valid HTML (fragments and pages) in both languages', async () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const page of [false, true]) {
        for (const [name, html] of [
          ...allNotices(ji4pePolicy, lang, 'html', page),
          ['change', renderNotice(ji4pePolicy2021, { kind: 'change', previous: ji4pePolicy, lang, format: 'html', page })] as [string, string],
        ]) {
          const report = await validator.validateString(html);
          const messages = report.results.flatMap((r) => r.messages.map((m) => `${name} ${lang} page=${page}: ${m.ruleId} ${m.message}`));
          expect(messages).toEqual([]);
        }
      }
    }
  });

  it('a full page has doctype, lang, charset and title; headings in order; lists for purposes', () => {
    const html = renderNotice(ji4pePolicy, { kind: 'policy', lang: 'ja', format: 'html', page: true });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="ja">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Ji4pe プライバシーポリシー（個人情報保護方針）</title>');
    const levels = [...html.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    for (let i = 1; i < levels.length; i++) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
    expect(html).toMatch(/<h2 id="pb-policy-purposes">3．利用目的の特定<\/h2>\n<p>[^<]*<\/p>\n<ol>/);
    const fragment = renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', format: 'html' });
    expect(fragment.startsWith('<article class="purpose-bound-notice" lang="en">')).toBe(true);
    expect(fragment).not.toContain('<html');
  });

  it('has no script, style attribute or event handler, and escapes every hostile string', async () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const [name, html] of allNotices(hostilePolicy, lang, 'html', true)) {
        expect(html, name).not.toMatch(/<script|<img|<svg|<iframe|<a href="javascript|<b>/i);
        expect(html, name).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
        expect(html, name).not.toMatch(/\sstyle=/i);
        expect(html, name).not.toContain('\u202E');
        expect(html, name).toContain('&lt;img src=x onerror=alert(1)&gt;');
        const report = await validator.validateString(html);
        expect(
          report.results.flatMap((r) => r.messages.map((m) => m.message)),
          name,
        ).toEqual([]);
      }
    }
    const policy = renderNotice(hostilePolicy, { kind: 'policy', lang: 'en', format: 'html' });
    expect(policy).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
    expect(policy).toContain('Website: javascript:alert(3)'); // shown as text, never as a link
    const notice = renderNotice(hostilePolicy, { kind: 'collection', collectionPoint: 'form', lang: 'en', format: 'html' });
    expect(notice).toContain('<a href="https://hostile.example/p?a=1&amp;b=2">');
    expect(notice).not.toContain('href="javascript');
  });

  it('rejects an idPrefix that could break out of the attribute', () => {
    expect(() => renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', format: 'html', idPrefix: '"><script>' })).toThrow(/idPrefix/);
    expect(renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', format: 'html', idPrefix: 'pp-' })).toContain('id="pp-scope"');
  });
});

describe('Markdown', () => {
  it('ji4pe full policy parses to 1 + 18 headings, the purposes as an ordered list of 7 with 2 nested items', () => {
    for (const lang of ['en', 'ja'] as const) {
      const md = renderNotice(ji4pePolicy, { kind: 'policy', lang, format: 'markdown' });
      const tokens = marked.lexer(md);
      const headings = tokens.filter((t) => t.type === 'heading') as Token[] & { depth: number }[];
      expect(headings.map((h) => (h as { depth: number }).depth)).toEqual([1, ...Array(18).fill(2)]);
      expect((headings[3] as { text: string }).text).toBe(lang === 'en' ? '3\\. Specification of the purposes of use' : '3．利用目的の特定');
      const purposesAt = tokens.indexOf(headings[3] as Token);
      const list = tokens.slice(purposesAt).find((t) => t.type === 'list') as { ordered: boolean; items: { tokens: Token[] }[] };
      expect(list.ordered).toBe(true);
      expect(list.items).toHaveLength(7);
      const nested = list.items[6]?.tokens.find((t) => t.type === 'list') as { items: unknown[] } | undefined;
      expect(nested?.items).toHaveLength(2);
      const html = marked.parse(md, { async: false });
      expect(html).toContain(lang === 'en' ? '<h2>3. Specification of the purposes of use</h2>' : '<h2>3．利用目的の特定</h2>');
      expect(html).toContain('<a href="mailto:privacy@ji4pe.example">privacy@ji4pe.example</a>');
    }
  });

  it('hostile strings produce no HTML token, no extra heading, list, table or link', () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const [name, md] of allNotices(hostilePolicy, lang, 'markdown')) {
        const tokens = marked.lexer(md);
        const types = new Set<string>();
        const hrefs: string[] = [];
        walk(tokens, (t) => {
          types.add(t.type);
          if (t.type === 'link') hrefs.push((t as { href: string }).href);
        });
        expect(types.has('html'), name).toBe(false);
        expect(types.has('table'), name).toBe(false);
        expect(types.has('codespan'), name).toBe(false);
        expect(types.has('hr') ? tokens.filter((t) => t.type === 'hr').length : 0, name).toBeLessThanOrEqual(1);
        expect(
          hrefs.every((h) => /^(https:|mailto:)/.test(h)),
          name,
        ).toBe(true);
        const headings = tokens.filter((t) => t.type === 'heading').length;
        const html = marked.parse(md, { async: false });
        expect(html, name).not.toMatch(/<script|<img|<svg|<iframe|<b>|javascript:alert\(\d\)"/i);
        expect(html, name).toContain('&lt;img src=x onerror=alert(1)&gt;');
        if (name === 'policy') expect(headings).toBe(19);
        else expect(headings).toBe(9);
      }
    }
  });
});

describe('text', () => {
  it('keeps hostile strings as written, minus control and bidi characters', () => {
    const text = renderNotice(hostilePolicy, { kind: 'collection', collectionPoint: 'form', lang: 'en', format: 'text' });
    expect(text).toContain(XSS);
    expect(text).not.toContain('\u202E');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('# Not a heading - not a list'); // the newline inside a policy string is a space
  });

  it('the three formats come from one model: same headings in each', () => {
    for (const kind of NOTICE_KINDS) {
      const options: RenderNoticeOptions =
        kind === 'change' ? { kind, previous: ji4pePolicy, lang: 'ja' } : kind === 'collection' ? { kind, collectionPoint: 'inquiry', lang: 'ja' } : { kind, lang: 'ja' };
      const policy = kind === 'change' ? ji4pePolicy2021 : ji4pePolicy;
      const text = renderNotice(policy, { ...options, format: 'text' });
      const md = renderNotice(policy, { ...options, format: 'markdown' });
      const html = renderNotice(policy, { ...options, format: 'html' });
      const htmlHeadings = [...html.matchAll(/<h[1-6][^>]*>([^<]*)<\/h[1-6]>/g)].map((m) => m[1]);
      const mdHeadings = (marked.lexer(md).filter((t) => t.type === 'heading') as unknown as { text: string }[]).map((h) => h.text);
      expect(mdHeadings).toEqual(htmlHeadings);
      for (const h of htmlHeadings) expect(text).toContain(h);
    }
  });

  it('a policy without url points to the policy by title only', () => {
    const policy = definePolicy({ ...hostilePolicy.spec, url: undefined } as never);
    expect(renderNotice(policy, { kind: 'collection', collectionPoint: 'form', lang: 'en' })).toContain('For details, see the Policy <img src=x onerror=alert(1)>.');
  });
});
