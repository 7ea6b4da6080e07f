// dist/cli/murmur.js, written by the build (vite.cli.config.ts) from src/cli/boot/loader.cjs: runs the command
// line's bundle (murmur.cjs beside it, one CommonJS script) from V8's code cache when it has one. Compiling the
// bundle's 1.7 MB each time was most of a warm `murmur timeline`'s own work after Node's start (bench/cli.bench.ts);
// Node 20 has no module compile cache (22 does), so this does what Node's would: compile with the cache, and
// when there was none or V8 refused it (another V8, other flags), write one as the process exits, with every
// function the command compiled by then.
//
// The cache is named by the sha256 of the bundle's bytes (the build fills it in below), V8's version and the
// architecture: V8 itself checks a cache only against the source's length, so a cache of another build of the
// same length would run that build's code. It is kept beside the bundle (cache/), or, where that is not
// writable (a system-wide install), in the home (MURMUR_HOME or ~/.murmur, code-cache/): both only writable by
// whoever could change the code itself. Any failure to read or write it only costs the compile.
//
// CommonJS (dist/cli/package.json says so), as the bundle is: an ES module entry costs Node its module loader.
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { join, resolve } = require('node:path');
const { Script } = require('node:vm');

/** The bundle beside this file and the sha256 of its bytes: filled in by the build. */
const BUNDLE = { file: 'murmur.cjs', sha256: '@BUNDLE_SHA256@' };
const SUFFIX = '.v8cache';

const here = __dirname;
const filename = join(here, BUNDLE.file);
const home = resolve(process.env.MURMUR_HOME || join(homedir(), '.murmur'));
const dirs = [join(here, 'cache'), join(home, 'code-cache')];
const name = `${BUNDLE.sha256}-${process.versions.v8}-${process.arch}${SUFFIX}`;

let cachedData;
for (const dir of dirs) {
  try {
    cachedData = readFileSync(join(dir, name));
    break;
  } catch {
    // not there: the next place, else compile without
  }
}
// The CommonJS wrapper on the bundle's first line, so its line numbers (and source map) hold; strict, as the
// modules it was built from are.
const prefix = '(function (exports, require, module, __filename, __dirname) {"use strict";';
const wrapped = `${prefix}${readFileSync(filename, 'utf8')}\n})`;
// No importModuleDynamically: the build refuses a bundle with an import() left in it (vite.cli.config.ts).
const script = new Script(wrapped, { filename, cachedData });
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => save(script.createCachedData()));
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(filename), bundle, filename, here);

/** Writes the cache in the first place that takes it (whole or not at all), dropping older ones there. */
function save(data) {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 }); // the home too, if new, as the command line makes it
      const temporary = join(dir, `${name}.${process.pid}`);
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, join(dir, name));
      // Older builds' caches; forced, as another run may have dropped one first.
      for (const old of readdirSync(dir))
        if (old.endsWith(SUFFIX) && old !== name) rmSync(join(dir, old), { force: true });
      return;
    } catch {
      // not writable: the next place
    }
  }
}
