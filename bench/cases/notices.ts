/**
 * Notice benchmark: time to render the full ji4pe privacy policy (all 18 sections, from the
 * policy object to the finished string) in each language and format, plus a collection notice
 * and the change notice. Target: under 1 ms per full policy. For scale, each full-policy
 * figure is compared with `marked` parsing the same policy's Markdown to HTML in the same run.
 *
 * @module
 */
import { marked } from 'marked';
import { LANGUAGES, NOTICE_FORMATS, renderNotice, type RenderNoticeOptions } from 'purpose-bound';
import { ji4pePolicy2021 } from '../../examples/ji4pe/notices.js';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import type { BenchCase, BenchContext, BenchTask } from '../run.js';

const BATCH = 20;
let sink = 0;

export async function run(ctx: BenchContext): Promise<BenchCase[]> {
  const tasks: Record<string, BenchTask> = {};
  const render = (name: string, policy: typeof ji4pePolicy | typeof ji4pePolicy2021, options: RenderNoticeOptions): void => {
    // Sanity: it renders, and renders the same thing every time.
    const once = renderNotice(policy, options);
    if (once.length < 1000 || renderNotice(policy, options) !== once) throw new Error(`${name} does not render`);
    tasks[name] = {
      opsPerCall: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += renderNotice(policy, options).length;
      },
    };
  };
  for (const lang of LANGUAGES) {
    for (const format of NOTICE_FORMATS) render(`policy ${lang} ${format}`, ji4pePolicy, { kind: 'policy', lang, format, ...(format === 'html' ? { page: true } : {}) });
    const md = renderNotice(ji4pePolicy, { kind: 'policy', lang, format: 'markdown' });
    tasks[`marked ${lang}`] = {
      opsPerCall: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += (marked.parse(md, { async: false }) as string).length;
      },
    };
  }
  render('collection ja html', ji4pePolicy, { kind: 'collection', collectionPoint: 'eventApplication', lang: 'ja', format: 'html', page: true });
  render('change ja html', ji4pePolicy2021, { kind: 'change', previous: ji4pePolicy, lang: 'ja', format: 'html', page: true });

  const r = await ctx.measure(tasks);
  if (sink === -1) process.stdout.write('');
  const ms = (name: string): number => 1000 / (r[name] ?? Number.NaN);
  const out: BenchCase[] = [];
  for (const lang of LANGUAGES) {
    for (const format of NOTICE_FORMATS) {
      const value = ms(`policy ${lang} ${format}`);
      out.push({
        name: `renderNotice full policy ${lang} ${format}${format === 'html' ? ' page' : ''}`,
        unit: 'ms',
        value,
        target: '< 1 ms',
        comparisons: [ctx.compare(value, `marked.parse of the same ${lang} Markdown`, ms(`marked ${lang}`))],
      });
    }
  }
  out.push({ name: 'renderNotice collection notice ja html page', unit: 'ms', value: ms('collection ja html'), target: '< 1 ms', comparisons: [] });
  out.push({ name: 'renderNotice change notice (diff + render) ja html page', unit: 'ms', value: ms('change ja html'), target: '< 1 ms', comparisons: [] });
  return out;
}
