import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * tsconfig.json compiles class fields as constructor assignments (useDefineForClassFields: false; see
 * docs/ARCHITECTURE.md). A field with neither an initializer nor an assignment in the constructor then
 * does not exist until first set, and V8 gives every object a new hidden class at that moment: orders with
 * and without a `reason`, engines before and after their first order. Code that sees both is polymorphic.
 * This test lists such fields; give them an initializer (`= undefined`, or `= undefined!` for a field
 * bound after construction).
 */
const ROOT = join(import.meta.dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function thisField(e: ts.Expression): string | undefined {
  return ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword
    ? e.name.text
    : undefined;
}

/** Fields a constructor assigns unconditionally (top-level `this.x = …`, chains included, parameter properties). */
function assignedInConstructor(ctor: ts.ConstructorDeclaration | undefined): Set<string> {
  const out = new Set<string>();
  if (!ctor?.body) return out;
  for (const p of ctor.parameters)
    if (p.modifiers?.some((m) => m.kind !== ts.SyntaxKind.Decorator)) out.add(p.name.getText());
  for (const st of ctor.body.statements) {
    if (!ts.isExpressionStatement(st)) continue;
    let e: ts.Expression = st.expression;
    while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const name = thisField(e.left);
      if (name) out.add(name);
      e = e.right;
    }
  }
  return out;
}

/** `file:line Class.field` for each field a class in `file` neither initializes nor assigns in its constructor. */
function unsetFields(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const ctor = node.members.find(ts.isConstructorDeclaration);
      const assigned = assignedInConstructor(ctor);
      for (const m of node.members) {
        if (!ts.isPropertyDeclaration(m) || m.initializer) continue;
        const skip = [
          ts.SyntaxKind.StaticKeyword,
          ts.SyntaxKind.DeclareKeyword,
          ts.SyntaxKind.AbstractKeyword,
        ];
        if (m.modifiers?.some((x) => skip.includes(x.kind))) continue;
        const name = m.name.getText();
        if (!assigned.has(name)) {
          const line = sf.getLineAndCharacterOfPosition(m.getStart()).line + 1;
          found.push(`${relative(ROOT, file)}:${line} ${node.name?.text ?? '(class)'}.${name}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('class fields', () => {
  it('every field exists from construction: an initializer or a constructor assignment', () => {
    const files = sources(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => unsetFields(f))).toEqual([]);
  });

  it('the check finds a field that is only set later', () => {
    const probe = join(ROOT, 'test', 'fixtures', 'class-fields-probe.ts.txt');
    expect(unsetFields(probe)).toEqual(['test/fixtures/class-fields-probe.ts.txt:3 Probe.late']);
  });
});
