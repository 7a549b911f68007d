/**
 * TypeDoc plugin (loaded by `typedoc.json`, run through tsx by `npm run docs`): groups every
 * export of the API reference by area, from the source folder it is declared in, so the root
 * module reads as policy, fields and guard, vault, storage, audit, notices, requests, receipts
 * and errors rather than one alphabetical list of 100+ names starting with the error classes.
 * An explicit `@group` tag on a declaration wins. Modules are named by their import path through
 * the `@module <import path>` tag of each entry file.
 *
 * @module
 */
import { Comment, CommentTag, Converter, DeclarationReflection, ReflectionKind, ReferenceReflection, type Application, type Context } from 'typedoc';

/** Groups in the order the reference shows them. */
export const API_GROUPS = [
  'Policy',
  'Fields and guard',
  'Vault',
  'Storage, adapters and keys',
  'Audit log',
  'Notices',
  'Requests',
  'Receipts',
  'Conformance suite',
  'Errors',
  'Other',
] as const;

/** The group of a declaration, from its package-relative source path and name. */
export function groupOf(path: string, name: string, isClass: boolean): (typeof API_GROUPS)[number] {
  const p = path.replace(/\\/g, '/').replace(/^\.?\/?/, '');
  if (/(^|\/)errors(\/|\.ts$)/.test(p) || (isClass && /Error$/.test(name))) return 'Errors';
  const rules: [RegExp, (typeof API_GROUPS)[number]][] = [
    [/^src\/(policy\/|legal\.ts|i18n\.ts|util\/)/, 'Policy'],
    [/^src\/(personal-field\.ts|guard\/|state\/)/, 'Fields and guard'],
    [/^src\/vault\//, 'Vault'],
    [/^src\/(storage\/|adapters\/|crypto\/|entries\/adapters\/)/, 'Storage, adapters and keys'],
    [/^src\/audit\//, 'Audit log'],
    [/^src\/notices\//, 'Notices'],
    [/^src\/(requests|provision|retention|breach|receipts)\//, 'Requests'],
    [/^src\/consent-receipts\//, 'Receipts'],
    [/^src\/testing\//, 'Conformance suite'],
  ];
  for (const [re, group] of rules) if (re.test(p)) return group;
  return 'Other';
}

function hasGroup(comment: Comment | undefined): boolean {
  return comment?.blockTags.some((t) => t.tag === '@group') ?? false;
}

/** TypeDoc's plugin entry. */
export function load(app: Application): void {
  // Before the GroupPlugin (priority -100) builds the groups at the end of resolution.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context: Context) => {
      const project = context.project;
      for (const mod of project.getReflectionsByKind(ReflectionKind.Module)) {
        if (!(mod instanceof DeclarationReflection)) continue;
        for (const child of mod.children ?? []) {
          const target = child instanceof ReferenceReflection ? child.tryGetTargetReflectionDeep() : child;
          if (!(target instanceof DeclarationReflection) || !(child instanceof DeclarationReflection)) continue;
          if (hasGroup(child.comment)) continue;
          const id = project.getSymbolIdFromReflection(target);
          if (!id) continue;
          const group = groupOf(id.packagePath, target.name, target.kindOf(ReflectionKind.Class));
          child.comment ??= new Comment();
          child.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
        }
      }
    },
    0,
  );
}
