/**
 * The first-screen group (first-screen-chunk.ts) in a real Rolldown build of
 * five modules: the entry's static imports, and theirs, make one chunk; a
 * module reached only through a dynamic import stays in the lazy chunk. (In
 * so small a build the bundler keeps the shared module in the entry's chunk
 * by itself; in the app's it made 16 chunks, which bench/ui.bench.ts counts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OutputChunk, rolldown } from 'rolldown';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { firstScreenChunk } from './first-screen-chunk.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-first-screen-'));
  const files = {
    'main.js': "import { shell } from './shell.js';\nconsole.log(shell());\nimport('./screen.js');\n",
    'shell.js': "import { label } from './label.js';\nexport const shell = () => 'shell ' + label;\n",
    'label.js': "export const label = 'label';\n",
    'screen.js':
      "import { shell } from './shell.js';\nimport { only } from './only.js';\nconsole.log(shell(), only);\n",
    'only.js': "export const only = 'lazy only';\n",
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The chunks of a build, each as the names of the modules in it. */
async function chunks(withGroup: boolean): Promise<string[][]> {
  const first = firstScreenChunk();
  const bundle = await rolldown({ input: join(dir, 'main.js'), plugins: withGroup ? [first.plugin] : [] });
  const { output } = await bundle.generate({
    format: 'es',
    ...(withGroup && { codeSplitting: { groups: [first.group] } }),
  });
  await bundle.close();
  return output
    .filter((o): o is OutputChunk => o.type === 'chunk')
    .map((c) => Object.keys(c.modules).map((id) => id.slice(dir.length + 1)))
    .filter((names) => names.length > 0)
    .map((names) => names.sort());
}

test("the entry's static imports share one chunk; what only a lazy import reaches stays lazy", async () => {
  const built = await chunks(true);
  expect(built).toContainEqual(['label.js', 'shell.js']);
  expect(built).toContainEqual(['only.js', 'screen.js']);
  expect(built.flat().filter((name) => name === 'shell.js')).toHaveLength(1);
});

test('without the group the same build has no such chunk (control: the first test sees the group)', async () => {
  const built = await chunks(false);
  expect(built).not.toContainEqual(['label.js', 'shell.js']);
  expect(built).toContainEqual(['only.js', 'screen.js']);
});
