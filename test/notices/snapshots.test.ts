/**
 * File snapshots of every ji4pe notice: kinds × languages × formats. They were read line by line
 * when written; a change to any of them shows in review as a diff of the published text.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NOTICE_FORMATS, renderNotice, type RenderNoticeOptions } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { ji4pePolicy2021 } from '../../examples/ji4pe/notices.js';

const EXT = { text: 'txt', markdown: 'md', html: 'html' } as const;
const cases: [string, typeof ji4pePolicy | typeof ji4pePolicy2021, Omit<RenderNoticeOptions, 'lang' | 'format'>][] = [
  ['policy', ji4pePolicy, { kind: 'policy' }],
  ...ji4pePolicy.collectionPointIds.map((cp): [string, typeof ji4pePolicy, Omit<RenderNoticeOptions, 'lang' | 'format'>] => [
    `collection-${cp}`,
    ji4pePolicy,
    { kind: 'collection', collectionPoint: cp },
  ]),
  ['change-2021-04', ji4pePolicy2021, { kind: 'change', previous: ji4pePolicy }],
];

describe('ji4pe notice snapshots', () => {
  for (const [name, policy, options] of cases) {
    for (const lang of LANGUAGES) {
      for (const format of NOTICE_FORMATS) {
        it(`${name} ${lang} ${format}`, async () => {
          const out = renderNotice(policy, { ...options, lang, format, ...(format === 'html' ? { page: true } : {}) });
          await expect(out).toMatchFileSnapshot(`./__snapshots__/${name}.${lang}.${EXT[format]}`);
        });
      }
    }
  }
});
