// Checks the tarballs scripts/pack-check.sh made with `yarn pack`: what a portal installing the
// suite from a registry or from tarballs would get. Usage:
//   node scripts/pack-check.mjs <tarball dir> <package dir>...
// expects <tarball dir>/<basename of package dir>.tgz for each package. Prints one line per
// package and every problem found; exits 1 if there is any.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [tarballDir, ...packageDirs] = process.argv.slice(2);
if (!tarballDir || packageDirs.length === 0) {
  console.error(
    'usage: node scripts/pack-check.mjs <tarball dir> <package dir>...',
  );
  process.exit(2);
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];
const LOCAL_RANGE = /^(workspace|portal|link):/;
const NOT_PUBLISHED = [
  [/(^|\/)src\/.*\.(test|spec)\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)__testUtils__\//, 'a test utility (__testUtils__)'],
  [/(^|\/)__fixtures__\//, 'a test fixture (__fixtures__)'],
  [/(^|\/)package\.json-prepack$/, 'the prepack backup of package.json'],
  [/\.tgz$/, 'a tarball'],
];

function listFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e =>
      path
        .relative(dir, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort();
}

// Every path string in an `exports` / `typesVersions` value (the `backstage` condition prepack
// adds names a feature type, such as "@backstage/BackendFeature", not a file)
function targets(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== 'backstage')
      .flatMap(([, v]) => targets(v));
  }
  return [];
}

const normalize = p => p.replace(/^\.\//, '');

let failures = 0;
for (const packageDir of packageDirs) {
  const source = JSON.parse(
    fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
  );
  const tarball = path.join(tarballDir, `${path.basename(packageDir)}.tgz`);
  const problems = [];
  const fail = message => problems.push(message);

  if (!fs.existsSync(tarball)) {
    console.log(
      `FAIL ${source.name} (${packageDir}): no tarball at ${tarball}`,
    );
    failures++;
    continue;
  }
  // yarn pack puts everything under package/
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .filter(f => !f.endsWith('/'))
    .map(f => f.replace(/^package\//, ''));
  const packed = new Set(files);
  const read = file =>
    execFileSync('tar', ['-xzOf', tarball, `package/${file}`], {
      encoding: 'utf8',
    });

  for (const required of ['package.json', 'README.md']) {
    if (!packed.has(required)) fail(`${required} is not packed`);
  }
  const pkg = packed.has('package.json')
    ? JSON.parse(read('package.json'))
    : {};

  if (pkg.private)
    fail(
      'the packed package.json says "private": true, so it cannot be published',
    );

  // Entry points, after prepack applied publishConfig and rewrote exports to dist/
  for (const field of ['main', 'module', 'types', 'typings', 'browser']) {
    const target = pkg[field];
    if (target === undefined) continue;
    if (typeof target !== 'string') continue;
    if (!packed.has(normalize(target))) {
      fail(`"${field}": "${target}" points to a file that is not packed`);
    } else if (normalize(target).startsWith('src/')) {
      fail(
        `"${field}": "${target}" points into src/ (publishConfig not applied?)`,
      );
    }
  }
  if (!pkg.main) fail('the packed package.json has no "main"');
  if (!pkg.types && !pkg.typings)
    fail('the packed package.json has no "types"');
  for (const target of targets(pkg.exports)) {
    if (!packed.has(normalize(target)))
      fail(`"exports" names "${target}", which is not packed`);
  }
  for (const target of targets(pkg.typesVersions)) {
    if (!target.includes('*') && !packed.has(normalize(target))) {
      fail(`"typesVersions" names "${target}", which is not packed`);
    }
  }

  // Type declarations in dist for the main entry point and every exported one
  if (!files.some(f => /^dist\/.*\.d\.ts$/.test(f))) {
    fail(
      'dist/ has no type declarations (*.d.ts): was `yarn tsc` run before the build?',
    );
  }
  for (const [mount, exp] of Object.entries(pkg.exports ?? {})) {
    if (exp && typeof exp === 'object' && !exp.types) {
      fail(
        `"exports" entry "${mount}" has no "types" (no .d.ts for it in dist/)`,
      );
    }
  }

  // No dependency a registry cannot resolve
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (LOCAL_RANGE.test(range)) {
        fail(
          `${field} "${dep}": "${range}" is a local range (yarn pack did not rewrite it)`,
        );
      }
    }
  }

  // The configuration schema: backstage-cli prepack compiles config.d.ts to config.schema.json
  if (source.configSchema) {
    const schemaFile = pkg.configSchema;
    if (!schemaFile) {
      fail(
        `the source declares "configSchema": "${source.configSchema}", the packed package.json has none`,
      );
    } else if (
      typeof schemaFile === 'string' &&
      !packed.has(normalize(schemaFile))
    ) {
      fail(`"configSchema": "${schemaFile}" is not packed (is it in "files"?)`);
    } else if (typeof schemaFile === 'string' && schemaFile.endsWith('.json')) {
      const schema = JSON.parse(read(normalize(schemaFile)));
      if (!schema || Object.keys(schema.properties ?? {}).length === 0) {
        fail(
          `"${schemaFile}" is packed but declares no configuration keys (compiled from ${source.configSchema})`,
        );
      }
    }
  }

  // Database migrations: every file of the package's migrations/ folder
  const migrationsDir = path.join(packageDir, 'migrations');
  if (fs.existsSync(migrationsDir)) {
    const missing = listFiles(migrationsDir)
      .map(f => `migrations/${f}`)
      .filter(f => !packed.has(f));
    if (missing.length > 0) {
      fail(
        `${
          missing.length
        } migration file(s) not packed (is "migrations" in "files"?): ${missing.join(
          ', ',
        )}`,
      );
    }
  }

  for (const file of files) {
    for (const [pattern, what] of NOT_PUBLISHED) {
      if (pattern.test(file))
        fail(`${file} is packed: ${what} should not be published`);
    }
  }

  const size = fs.statSync(tarball).size;
  const line = `${pkg.name ?? source.name}@${pkg.version ?? source.version}  ${(
    size / 1024
  ).toFixed(1)} kB  ${files.length} files`;
  if (problems.length === 0) {
    console.log(`ok   ${line}`);
  } else {
    failures++;
    console.log(`FAIL ${line}`);
    for (const problem of problems)
      console.log(`       - ${source.name}: ${problem}`);
  }
}

if (failures > 0) {
  console.log(
    `\n${failures} of ${packageDirs.length} package(s) would not publish correctly (see above).`,
  );
  process.exit(1);
}
