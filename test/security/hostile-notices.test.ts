/**
 * Hostile policy text through the notice renderer (issue 8): every text of a policy (titles,
 * descriptions, controller, contact, vendors, prose), in both languages, replaced with hostile
 * strings: HTML and Markdown injection, `javascript:` links, lone surrogates, control and bidi
 * characters, huge strings. Every notice kind in every format either renders or fails with a
 * named error; rendered HTML holds only the renderer's own tags and attributes and no raw `<`
 * in text; Markdown parses (marked) into HTML with the same guarantee; text holds no terminal
 * control characters. The hostile text is really in the output (it is not simply dropped).
 *
 * Runs: PB_FUZZ_RUNS (default 200) divided by 4, at least 25.
 */
import fc from 'fast-check';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { type AnyPolicy, definePolicy, NOTICE_PROSE_EXTRA_KEYS, NOTICE_SECTIONS, PurposeBoundError, renderChangeNotice, renderCollectionNotice, renderPolicy } from 'purpose-bound';
import { assertInert, vocabulary } from './fixtures/inert-html.js';
import { secSpec } from './fixtures/policy.js';

const RUNS = Math.max(25, Math.ceil(Number(process.env['PB_FUZZ_RUNS'] ?? 200) / 4));
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let seq = 0;
const mark = (): string => `NX${(seq++).toString(36)}q`;
const MARKER = /NX[0-9a-z]+q/g;

const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '![x](x" onerror="alert(1))',
  '</p><style>*{}</style>',
  '<!-- comment -->',
  '<![CDATA[x]]>',
  '&lt;script&gt;',
  '`code` **bold** _em_ # heading',
  '\n# Injected heading\n\n<div>block</div>\n',
  '| a | b |\n|---|---|\n| <b>x</b> | y |',
  '\u001b[31mred\u001b[0m',
  '\u202eevil\u202c',
  '\u0000\u0007\u0008',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
];

/** One hostile text: a marker (so we can find it in the output) plus payloads and noise. */
const hostileText = fc
  .tuple(
    fc.constantFrom(...payloads),
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 3 }),
      fc.nat(2).map((n) => 'ｱ'.repeat(20_000 * n)),
    ),
  )
  .map(([payload, noise]) => `${mark()} ${payload}${noise}`);

const localized = fc.record({ en: hostileText, ja: hostileText });

/** The security fixture spec with every free text replaced. */
const hostileSpec = fc
  .record({
    policyTitle: localized,
    controllerName: localized,
    controllerAddress: localized,
    representative: localized,
    department: localized,
    url: fc.constantFrom('javascript:alert(1)', 'https://sec.example/privacy"><script>alert(1)</script>', 'https://sec.example/privacy', 'data:text/html,x'),
    phone: hostileText,
    purposeTexts: fc.array(fc.tuple(localized, localized), { minLength: 3, maxLength: 3 }),
    fieldTitles: fc.array(localized, { minLength: 6, maxLength: 6 }),
    pointTitles: fc.array(localized, { minLength: 2, maxLength: 2 }),
    vendorNames: fc.array(localized, { minLength: 2, maxLength: 2 }),
    contract: hostileText,
    prose: localized,
  })
  .map((h) => {
    const spec = cloneSpec(secSpec) as Loose;
    spec.title = h.policyTitle;
    spec.controller = {
      name: h.controllerName,
      address: h.controllerAddress,
      representative: h.representative,
      contact: { department: h.department, email: 'privacy@sec.example', url: h.url, phone: h.phone, address: h.controllerAddress },
    };
    Object.values(spec.purposes).forEach((p: Loose, i) => {
      const [title, description] = h.purposeTexts[i] as [Loose, Loose];
      p.title = title;
      p.description = description;
    });
    Object.values(spec.fields).forEach((f: Loose, i) => {
      f.title = h.fieldTitles[i];
      f.description = h.fieldTitles[(i + 1) % 6];
    });
    Object.values(spec.collectionPoints).forEach((c: Loose, i) => {
      c.title = h.pointTitles[i];
      c.description = h.pointTitles[(i + 1) % 2];
    });
    Object.values(spec.vendors).forEach((v: Loose, i) => {
      v.name = h.vendorNames[i];
      v.description = h.vendorNames[(i + 1) % 2];
    });
    spec.vendors.printer.contract = h.contract;
    spec.prose = Object.fromEntries(PROSE_KEYS.map((k) => [k, h.prose]));
    spec.version = '2';
    return spec as typeof secSpec;
  });

/** Every prose key the full policy reads: one per section, plus the extras. */
const PROSE_KEYS: string[] = [...NOTICE_SECTIONS.map((s) => s.id), ...NOTICE_PROSE_EXTRA_KEYS];

function cloneSpec<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneSpec) as T;
  if (typeof value !== 'object' || value === null || '_zod' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneSpec(v);
  return out as T;
}

const base = definePolicy(secSpec);
const benignHtml = [
  renderPolicy(base, { lang: 'en', format: 'html', page: true, omitMissingProse: true }),
  renderCollectionNotice(base, 'form', { lang: 'en', format: 'html' }),
  renderCollectionNotice(base, 'entrusted', { lang: 'ja', format: 'html', page: true }),
].join('\n');
const htmlVocabulary = vocabulary(benignHtml);
// A link is legitimate in notices (the contact URL, the policy pointer): allow its attributes.
for (const a of ['href', 'rel']) htmlVocabulary.attrs.add(a);
htmlVocabulary.tags.add('a');
const markdownVocabulary = {
  tags: new Set(['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'br', 'hr', 'code', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del']),
  attrs: new Set(['href', 'start', 'align', 'title']),
};

function markersOf(spec: unknown): string[] {
  return [...new Set(JSON.stringify(spec).match(MARKER) ?? [])];
}

describe('notice rendering with hostile policy text', () => {
  it('every kind, format and language renders inert output (or a named error)', async () => {
    let rendered = 0;
    fc.assert(
      fc.property(hostileSpec, (spec) => {
        let policy: AnyPolicy;
        try {
          policy = definePolicy(spec);
        } catch (error) {
          expect(error).toBeInstanceOf(PurposeBoundError);
          return;
        }
        const markers = markersOf(spec);
        const seen = new Set<string>();
        for (const lang of ['en', 'ja'] as const) {
          const outputs: [string, () => string][] = [
            ['policy/html', () => renderPolicy(policy, { lang, format: 'html', page: true, omitMissingProse: true })],
            ['collection/html', () => renderCollectionNotice(policy, 'form', { lang, format: 'html' })],
            ['change/html', () => renderChangeNotice(base, policy, { lang, format: 'html' })],
            ['policy/markdown', () => renderPolicy(policy, { lang, format: 'markdown', omitMissingProse: true })],
            ['collection/markdown', () => renderCollectionNotice(policy, 'entrusted', { lang, format: 'markdown' })],
            ['change/markdown', () => renderChangeNotice(base, policy, { lang, format: 'markdown' })],
            ['policy/text', () => renderPolicy(policy, { lang, format: 'text', omitMissingProse: true })],
            ['collection/text', () => renderCollectionNotice(policy, 'form', { lang, format: 'text' })],
          ];
          for (const [what, render] of outputs) {
            let out: string;
            try {
              out = render();
            } catch (error) {
              expect(error, `${what} threw a non-SDK error`).toBeInstanceOf(PurposeBoundError);
              continue;
            }
            rendered++;
            const where = `${lang} ${what}`;
            let text: string;
            if (what.endsWith('/html')) text = assertInert(out, htmlVocabulary, where);
            else if (what.endsWith('/markdown')) text = assertInert(marked.parse(out, { async: false }), markdownVocabulary, `${where} (via marked)`);
            else {
              expect(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/.test(out), `${where}: terminal control characters`).toBe(false);
              text = out;
            }
            for (const m of text.match(MARKER) ?? []) seen.add(m);
          }
        }
        // The hostile text was rendered, not silently dropped.
        expect(seen.size).toBeGreaterThan(markers.length / 2);
      }),
      { numRuns: RUNS },
    );
    expect(rendered).toBeGreaterThan(RUNS * 8);
    // eslint-disable-next-line no-console
    console.info(`[hostile-notices] ${RUNS} hostile policies, ${rendered} notices rendered inert`);
  });
});
