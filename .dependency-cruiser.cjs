/**
 * Which way imports may run, checked by `yarn deps:check` in the test command
 * (dependency-cruiser). Test files and test utilities are exempt from the folder directions
 * (a test may reach anything it tests), never from "production code imports no test code".
 *
 * Packages, from the bottom up:
 *   bedrock-common  <- bedrock-node  <- bedrock-backend, scaffolder-backend-module-bedrock
 *   bedrock-common  <- bedrock (frontend)
 *   dev/aws-emulator, dev/demo: dev tooling, imported by tests, benchmarks (bench/) and the demo
 *   only, never by a plugin's production code
 *
 * Folders of the backend plugin (plugins/bedrock-backend/src), from the bottom up:
 *   lib/                      imports no other folder
 *   database/, access/        lib/
 *   bindings/                 database/, access/, lib/
 *   notify/                   database/, lib/
 *   collector/                bindings/, database/, lib/
 *   prices/                   bindings/, database/, lib/ (the AWS price list: wired into
 *                             service/ by plugin.ts as the summary's price table)
 *   increases/                bindings/, notify/, database/, access/, lib/
 *   enforce/                  increases/, bindings/, notify/, database/, lib/
 *   service/                  increases/, enforce/ (its routes), bindings/, access/, database/, lib/
 *   actions/                  increases/, service/, enforce/, bindings/, access/, database/, lib/
 *   unattributed/             collector/, service/, database/, lib/ (spend no tenant owns: wired
 *                             into collector/ and service/ by plugin.ts, never imported by them)
 *   reconcile/                collector/, service/, notify/, database/, lib/ (estimate vs bill:
 *                             Cost Explorer reads and the admins' variance notices, wired into
 *                             collector/ by plugin.ts, never imported by it or by service/)
 *   plugin.ts, index.ts       wiring: anything; only index.ts and tests import plugin.ts
 *   config.ts, tenant.ts      shared leaves: lib/ only
 *
 * Folders of the frontend plugin (plugins/bedrock/src): lib/ <- api/ <- hooks/ <- components/.
 * Folders of the scaffolder module: provisioning/ <- bindings/ <- actions/; config.ts is a
 * shared leaf, module.ts the wiring.
 */
const BACKEND = '^plugins/bedrock-backend/src/';
const TEST =
  '(\\.test\\.tsx?$|/__testUtils__/|/__fixtures__/|/setupTests\\.ts$)';

/**
 * A folder of a package's `src/` may import only the folders listed (and itself, the package's
 * shared root files `leaves`, and code outside the package).
 */
const folderImports = (pkg, folder, allowed, leaves = []) => {
  const src = `^plugins/${pkg}/src/`;
  return {
    name: `${pkg}-${folder}-imports-down`,
    comment: `plugins/${pkg}/src/${folder}/ may import only ${
      allowed.length ? `${allowed.join('/, ')}/` : 'no other folder'
    }${
      leaves.length ? ` and ${leaves.join(', ')}` : ''
    } (.dependency-cruiser.cjs)`,
    severity: 'error',
    from: { path: `${src}${folder}/`, pathNot: TEST },
    to: {
      path: src,
      pathNot: [
        `${src}${folder}/`,
        ...allowed.map(a => `${src}${a}/`),
        ...leaves.map(l => `${src}${l.replace('.', '\\.')}$`),
      ],
    },
  };
};
const backendFolder = (folder, allowed) =>
  folderImports('bedrock-backend', folder, allowed, ['config.ts', 'tenant.ts']);

/** A package may import only the workspace packages listed. */
const packageImports = (pkg, allowed) => ({
  name: `package-${pkg.replace(/\W+/g, '-')}-imports`,
  comment: `${pkg} may import only ${
    allowed.length ? allowed.join(', ') : 'no other workspace package'
  }`,
  severity: 'error',
  from: { path: `^${pkg}/`, pathNot: TEST },
  to: {
    path: '^(plugins|packages|dev)/',
    pathNot: [`^${pkg}/`, ...allowed.map(a => `^${a}/`)],
  },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no module imports a module that imports it back',
      severity: 'error',
      from: { path: '^(plugins|packages|dev)/', pathNot: TEST },
      to: { circular: true },
    },
    {
      name: 'production-imports-no-test-code',
      comment: 'test utilities, fixtures and tests are imported by tests only',
      severity: 'error',
      from: { path: '^(plugins|packages|dev)/[^/]+/src/', pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'plugins-import-no-dev-tooling',
      comment:
        'dev/aws-emulator and dev/demo are dev tooling: tests, benchmarks and the demo only',
      severity: 'error',
      from: { path: '^plugins/', pathNot: TEST },
      to: { path: '^dev/' },
    },
    {
      name: 'backend-nothing-imports-wiring',
      comment:
        'plugin.ts and index.ts wire the backend together: only index.ts and tests import them',
      severity: 'error',
      from: { path: BACKEND, pathNot: [TEST, `${BACKEND}index\\.ts$`] },
      to: { path: `${BACKEND}(plugin|index)\\.ts$` },
    },
    {
      name: 'backend-shared-leaves',
      comment: 'config.ts and tenant.ts import lib/ only',
      severity: 'error',
      from: { path: `${BACKEND}(config|tenant)\\.ts$` },
      to: {
        path: BACKEND,
        pathNot: [`${BACKEND}lib/`, `${BACKEND}(config|tenant)\\.ts$`],
      },
    },
    backendFolder('lib', []),
    backendFolder('database', ['lib']),
    backendFolder('access', ['lib']),
    backendFolder('bindings', ['database', 'access', 'lib']),
    backendFolder('notify', ['database', 'lib']),
    backendFolder('collector', ['bindings', 'database', 'lib']),
    backendFolder('prices', ['bindings', 'database', 'lib']),
    backendFolder('increases', [
      'bindings',
      'notify',
      'database',
      'access',
      'lib',
    ]),
    backendFolder('enforce', [
      'increases',
      'bindings',
      'notify',
      'database',
      'lib',
    ]),
    backendFolder('service', [
      'increases',
      'enforce',
      'bindings',
      'access',
      'database',
      'lib',
    ]),
    backendFolder('actions', [
      'increases',
      'service',
      'enforce',
      'bindings',
      'access',
      'database',
      'lib',
    ]),
    backendFolder('unattributed', ['collector', 'service', 'database', 'lib']),
    backendFolder('reconcile', [
      'collector',
      'service',
      'notify',
      'database',
      'lib',
    ]),
    folderImports('bedrock', 'lib', []),
    folderImports('bedrock', 'api', ['lib']),
    folderImports('bedrock', 'hooks', ['api', 'lib']),
    folderImports('bedrock', 'components', ['api', 'hooks', 'lib']),
    folderImports(
      'scaffolder-backend-module-bedrock',
      'provisioning',
      [],
      ['config.ts'],
    ),
    folderImports(
      'scaffolder-backend-module-bedrock',
      'bindings',
      ['provisioning'],
      ['config.ts'],
    ),
    folderImports(
      'scaffolder-backend-module-bedrock',
      'actions',
      ['bindings', 'provisioning'],
      ['config.ts'],
    ),
    {
      name: 'scaffolder-module-nothing-imports-wiring',
      comment: 'module.ts wires the actions: only index.ts and tests import it',
      severity: 'error',
      from: {
        path: '^plugins/scaffolder-backend-module-bedrock/src/',
        pathNot: [TEST, '/src/index\\.ts$'],
      },
      to: {
        path: '^plugins/scaffolder-backend-module-bedrock/src/module\\.ts$',
      },
    },
    {
      name: 'scaffolder-module-resources-import-no-plans',
      comment:
        'provisioning/resources/ reads and changes AWS; the plan modules (*Plan.ts) import it, so it never imports them: plan shapes live in provisioning/types.ts',
      severity: 'error',
      from: {
        path: '^plugins/scaffolder-backend-module-bedrock/src/provisioning/resources/',
        pathNot: TEST,
      },
      to: {
        path: '^plugins/scaffolder-backend-module-bedrock/src/provisioning/[^/]+Plan\\.ts$',
      },
    },
    packageImports('plugins/bedrock-common', []),
    packageImports('plugins/bedrock-node', ['plugins/bedrock-common']),
    packageImports('plugins/bedrock-backend', [
      'plugins/bedrock-common',
      'plugins/bedrock-node',
    ]),
    packageImports('plugins/scaffolder-backend-module-bedrock', [
      'plugins/bedrock-common',
      'plugins/bedrock-node',
    ]),
    packageImports('plugins/bedrock', ['plugins/bedrock-common']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|dist-types|node_modules|\\.stryker-tmp)/' },
    tsPreCompilationDeps: true,
    // workspace packages resolve through node_modules symlinks to plugins/, packages/ and dev/
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
