/**
 * Policies for the notice tests: a small one without prose, and a hostile one whose every text
 * tries to inject markup.
 */
import { z } from 'zod';
import { definePolicy, type NoticeBlock, type PolicySpec } from 'purpose-bound';
import { ji4peProse } from '../../examples/ji4pe/prose.js';

export const XSS = '<img src=x onerror=alert(1)>';

/** A minimal valid spec (no prose): for the facts and the errors. */
export function smallSpec() {
  return {
    id: 'shop',
    version: '1',
    effective: '2026-01-01',
    controller: { name: { en: 'Example Shop', ja: 'サンプル商店' }, contact: { email: 'privacy@shop.example' } },
    purposes: {
      contact: { title: { en: 'Contact', ja: '連絡' }, description: { en: 'To contact you.', ja: 'ご連絡のため。' }, basis: 'contract', retention: 'P1Y6M' },
    },
    fields: {
      email: { title: { en: 'E-mail address', ja: 'メールアドレス' }, schema: z.email(), category: 'contact', purposes: ['contact'] },
    },
    collectionPoints: {
      signup: { title: { en: 'Sign-up', ja: '会員登録' }, fields: ['email'], purposes: ['contact'] },
    },
  } as const satisfies PolicySpec;
}

export const smallPolicy = definePolicy(smallSpec());

/** An injection attempt labelled with where it is. */
const hostile = (label: string) => ({ en: `${label}: ${XSS} [x](javascript:alert(10)) **b**`, ja: `${label}：${XSS}＜script＞` });

/** Every text of a policy is an injection attempt (HTML, Markdown, bidi controls). */
export const hostilePolicy = definePolicy({
  id: 'hostile',
  version: '1',
  effective: '2026-01-01',
  title: { en: `Policy ${XSS}`, ja: `ポリシー${XSS}` },
  url: 'https://hostile.example/p?a=1&b=<2>'.replace('<2>', '2'),
  controller: {
    name: { en: '"><svg onload=alert(2)>', ja: '"><svg onload=alert(2)>' },
    shortName: { en: '<b>we</b>', ja: '<b>当社</b>' },
    address: { en: '# Not a heading\n- not a list', ja: '# 見出しではない' },
    representative: { en: `<b>boss</b>${XSS}`, ja: `<b>代表</b>${XSS}` },
    contact: { email: 'privacy@hostile.example', url: 'javascript:alert(3)', department: { en: '[click](javascript:alert(4))', ja: '[クリック](javascript:alert(4))' } },
  },
  purposes: {
    evil: {
      title: { en: XSS, ja: XSS },
      description: { en: '<script>alert(5)</script> **bold** | a | b |', ja: '<script>alert(5)</script>＆&amp;' },
      basis: 'consent',
      retention: 'P1Y',
    },
    child: {
      title: { en: '1. not a list', ja: '1. リストではない' },
      description: { en: '---', ja: '===' },
      basis: 'contract',
      retention: 'P30D',
      parent: 'evil',
    },
  },
  fields: {
    name: { title: { en: '</li><script>alert(6)</script>', ja: '</li><script>alert(6)</script>' }, schema: z.string(), category: 'identifier', purposes: ['evil'] },
    health: { title: { en: '`code` \u202Eevil', ja: '`code` \u202E病歴' }, schema: z.string(), category: 'special-care', purposes: ['evil'] },
  },
  collectionPoints: {
    form: { title: { en: `<iframe src="javascript:alert(7)">`, ja: `<iframe src="javascript:alert(7)">` }, fields: ['name', 'health'], purposes: ['evil'], optional: ['health'] },
  },
  vendors: {
    bad: {
      name: { en: '<a href="javascript:alert(8)">x</a>', ja: '<a href="javascript:alert(8)">x</a>' },
      role: 'third-party',
      fields: ['name'],
      purposes: ['evil'],
      country: 'US',
      foreign: { basis: 'consent', system: hostile('system'), measures: hostile('measures') },
    },
  },
  retainedData: {
    requests: {
      submitTo: hostile('submitTo'),
      form: hostile('form'),
      identityVerification: hostile('identity'),
      agents: hostile('agents'),
      delivery: hostile('delivery'),
      disclosureMethods: ['electronic'],
      fees: [{ request: 'disclosure', amountJpy: 1000, payment: hostile('payment') }],
    },
    securityMeasures: {
      basicPolicy: [hostile('basic')],
      rules: [hostile('rules')],
      organisational: [hostile('org')],
      human: [hostile('human')],
      physical: [hostile('physical')],
      technical: [hostile('technical')],
      externalEnvironment: [{ country: 'US', measures: hostile('abroad') }],
    },
    accreditedOrganisation: hostile('accredited'),
  },
  prose: Object.fromEntries(
    Object.entries(ji4peProse).map(([k, v]) => [k, { en: `${XSS}\n\n- <script>alert(9)</script>\n- ${v.en ?? ''}`, ja: `${XSS}\n\n・<script>alert(9)</script>\n・${v.ja ?? ''}` }]),
  ),
});

/** All the text of some notice blocks, flattened (paragraphs and list items, nested lists included). */
export function textOf(blocks: readonly NoticeBlock[]): string {
  const out: string[] = [];
  const walk = (bs: readonly NoticeBlock[]): void => {
    for (const b of bs) {
      if (b.kind === 'paragraph') out.push(b.content.map((r) => r.text).join(''));
      else
        for (const i of b.items) {
          out.push(i.content.map((r) => r.text).join(''));
          if (i.children) walk(i.children);
        }
    }
  };
  walk(blocks);
  return out.join('\n');
}
