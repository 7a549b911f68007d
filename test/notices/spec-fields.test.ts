import { describe, expect, it } from 'vitest';
import { definePolicy, PolicyDefinitionError } from 'purpose-bound';
import { smallSpec } from './helpers.js';

const issuesOf = (spec: unknown): { path: string; message: string }[] => {
  try {
    definePolicy(spec as never);
  } catch (e) {
    if (e instanceof PolicyDefinitionError) return [...e.issues];
    throw e;
  }
  return [];
};

describe('spec fields the notices use', () => {
  it('url must be an http(s) URL', () => {
    expect(issuesOf({ ...smallSpec(), url: 'javascript:alert(1)' }).map((i) => i.path)).toEqual(['url']);
    expect(issuesOf({ ...smallSpec(), url: 'https://shop.example/privacy' })).toEqual([]);
  });

  it('controller.shortName needs every declared language', () => {
    const s = smallSpec();
    const issues = issuesOf({ ...s, controller: { ...s.controller, shortName: { en: 'the Shop' } } });
    expect(issues).toEqual([{ path: 'controller.shortName.ja', message: 'missing Japanese text' }]);
    expect(definePolicy({ ...s, controller: { ...s.controller, shortName: { en: 'the Shop', ja: '当店' } } }).spec.controller.shortName?.ja).toBe('当店');
  });
});
