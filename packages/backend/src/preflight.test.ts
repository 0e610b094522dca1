import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  assertProductionSettings,
  missingSettingsMessage,
  requiredVariables,
} from './preflight';

const root = path.resolve(__dirname, '../../..');
const productionArgv = [
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];
/** What app-config.production.yaml needs from the environment. */
const PRODUCTION_VARIABLES = [
  'APP_BASE_URL',
  'BACKEND_BASE_URL',
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'REDIS_URL',
];
const productionEnv = Object.fromEntries(
  PRODUCTION_VARIABLES.map(name => [name, `value-of-${name}`]),
);

describe('production preflight', () => {
  it('finds ${VAR} and $env references, not defaults, escapes or comments', () => {
    expect(
      requiredVariables(
        [
          'a: ${ONE}',
          'b: http://${ TWO }:${PORT:-7007}/x',
          'c: $${NOT_THIS}',
          '# d: ${NOR_THIS}',
          'e: { $env: THREE }',
        ].join('\n'),
      ),
    ).toEqual(['ONE', 'TWO', 'THREE']);
  });

  it('names every variable the production config needs in one message', () => {
    const message = missingSettingsMessage({
      argv: productionArgv,
      env: {},
      cwd: root,
    });
    expect(message).toBe(
      [
        'Refusing to start in production: 7 environment variables are not set:',
        '  APP_BASE_URL (app-config.production.yaml)',
        '  BACKEND_BASE_URL (app-config.production.yaml)',
        '  POSTGRES_HOST (app-config.production.yaml)',
        '  POSTGRES_PORT (app-config.production.yaml)',
        '  POSTGRES_USER (app-config.production.yaml)',
        '  POSTGRES_PASSWORD (app-config.production.yaml)',
        '  REDIS_URL (app-config.production.yaml)',
        'Set them (README: "Running it in production"), or remove their references from the config files.',
      ].join('\n'),
    );
  });

  it('names only what is missing (unset or empty), and nothing when all is set', () => {
    const { REDIS_URL: _r, ...rest } = productionEnv;
    const message = missingSettingsMessage({
      argv: productionArgv,
      env: { ...rest, POSTGRES_PASSWORD: '' },
      cwd: root,
    });
    expect(message).toContain('2 environment variables are not set:');
    expect(message).toContain('  POSTGRES_PASSWORD (');
    expect(message).toContain('  REDIS_URL (');
    expect(message).not.toContain('POSTGRES_HOST');
    expect(
      missingSettingsMessage({
        argv: productionArgv,
        env: productionEnv,
        cwd: root,
      }),
    ).toBeUndefined();
  });

  it('exits at once in production, and does nothing in development', () => {
    const run = (env: Record<string, string>) => {
      const stderr: string[] = [];
      const exit = jest.fn();
      assertProductionSettings({
        argv: ['node', 'packages/backend', ...productionArgv],
        env,
        cwd: () => root,
        exit: exit as any,
        stderr: { write: (s: string) => stderr.push(s) } as any,
      });
      return { exit, stderr: stderr.join('') };
    };
    const prod = run({ NODE_ENV: 'production', POSTGRES_HOST: 'db' });
    expect(prod.exit).toHaveBeenCalledWith(1);
    expect(prod.stderr).toContain('6 environment variables are not set');
    expect(prod.stderr).not.toContain('POSTGRES_HOST');
    const dev = run({ NODE_ENV: 'development' });
    expect(dev.exit).not.toHaveBeenCalled();
    expect(dev.stderr).toBe('');
  });
});

describe('config layout', () => {
  /** The merged config as Backstage loads it from these files (backstage-cli config:print). */
  async function merged(files: string[], env: Record<string, string> = {}) {
    // the demo's endpoint default is what is checked, whatever this shell sets
    const { BEDROCK_AWS_ENDPOINT: _e, ...inherited } = process.env;
    const { stdout } = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/backstage-cli'),
      [
        'config:print',
        '--with-secrets',
        '--format',
        'json',
        ...files.flatMap(f => ['--config', path.join(root, f)]),
      ],
      { cwd: root, env: { ...inherited, ...env } },
    );
    return JSON.parse(stdout.slice(stdout.indexOf('{')));
  }

  it('production names nothing of the demo', async () => {
    const c = await merged(
      ['app-config.yaml', 'app-config.production.yaml'],
      productionEnv,
    );
    const text = JSON.stringify(c);
    // the emulator, its keys and accounts, guest sign-in, the demo catalog and accounts
    expect(c.bedrock.aws?.endpoint).toBeUndefined();
    expect(c.aws.mainAccount).toBeUndefined();
    expect(c.aws.accounts).toBeUndefined();
    expect(c.auth.providers.guest).toBeUndefined();
    expect(c.bedrock.provisioning.accounts).toBeUndefined();
    expect(c.bedrock.provisioning.trustPrincipals).toBeUndefined();
    expect(c.portal).toBeUndefined();
    expect(c.auth.providers['guest-member']).toBeUndefined();
    expect(c.bedrock.tenants).toBeUndefined();
    for (const demo of [
      'AKIADEMO',
      '4567',
      '123456789012',
      '210987654321',
      'examples/',
      'Demo',
      'grace',
      'fraud-analyst',
    ]) {
      expect(text).not.toContain(demo);
    }
    expect(c.backend.database).toMatchObject({
      client: 'pg',
      connection: { host: 'value-of-POSTGRES_HOST' },
    });
    expect(c.backend.cache).toEqual({
      store: 'redis',
      connection: 'value-of-REDIS_URL',
    });
  }, 60_000);

  it('the demo adds the emulator, its accounts, guest sign-in and its catalog', async () => {
    const c = await merged(['app-config.yaml', 'app-config.demo.yaml']);
    expect(c.bedrock.aws.endpoint).toBe('http://127.0.0.1:4567');
    expect(c.aws.mainAccount.accessKeyId).toBe('AKIADEMOPLATFORM0001');
    expect(c.auth.providers.guest.userEntityRef).toBe('user:default/guest');
    expect(c.bedrock.provisioning.accounts).toEqual([
      '123456789012',
      '210987654321',
    ]);
    expect(c.catalog.locations.map((l: any) => l.target)).toContain(
      '../../examples/tenants.yaml',
    );
  }, 60_000);
});
