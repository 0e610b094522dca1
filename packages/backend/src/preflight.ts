/*
 * Checks, before any plugin starts, that a production backend has every setting its config
 * files take from the environment. Backstage drops a config value whose `${VAR}` is unset (with
 * a warning), so a missing POSTGRES_HOST would otherwise surface minutes later as one plugin
 * failure after another, in a process that keeps running.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The config files the backend loads: each `--config <path>` (or `--config=<path>`). */
export function configPaths(argv: string[], cwd: string): string[] {
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' && i + 1 < argv.length) paths.push(argv[++i]);
    else if (arg.startsWith('--config='))
      paths.push(arg.slice('--config='.length));
  }
  // without --config Backstage reads app-config.yaml of the working directory's repository
  if (!paths.length) paths.push('app-config.yaml');
  return paths.map(p => path.resolve(cwd, p));
}

/**
 * Environment variables a config file needs: `${NAME}` and `$env: NAME`. `${NAME:-default}`
 * has a default, `$${...}` is an escape, and comment lines are skipped.
 */
export function requiredVariables(yaml: string): string[] {
  const names = new Set<string>();
  for (const line of yaml.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    for (const m of line.matchAll(
      /(\$?)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g,
    )) {
      if (!m[1]) names.add(m[2]);
    }
    for (const m of line.matchAll(/\$env:\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
      names.add(m[1]);
    }
  }
  return [...names];
}

/**
 * The one message naming every variable the config files need and the environment lacks
 * (unset or empty), or undefined when nothing is missing.
 */
export function missingSettingsMessage(options: {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  readFile?: (file: string) => string;
}): string | undefined {
  const read = options.readFile ?? ((f: string) => fs.readFileSync(f, 'utf8'));
  const missing = new Map<string, string[]>();
  for (const file of configPaths(options.argv, options.cwd)) {
    let text: string;
    try {
      text = read(file);
    } catch {
      // a config file that cannot be read is the config loader's error to report
      continue;
    }
    for (const name of requiredVariables(text)) {
      if (options.env[name]) continue;
      missing.set(name, [...(missing.get(name) ?? []), path.basename(file)]);
    }
  }
  if (!missing.size) return undefined;
  const list = [...missing]
    .map(([name, files]) => `  ${name} (${files.join(', ')})`)
    .join('\n');
  return [
    `Refusing to start in production: ${missing.size} environment variable${
      missing.size === 1 ? ' is' : 's are'
    } not set:`,
    list,
    'Set them (README: "Running it in production"), or remove their references from the config files.',
  ].join('\n');
}

/** In production (NODE_ENV=production), exits at once with that message when a variable is missing. */
export function assertProductionSettings(
  proc: Pick<
    NodeJS.Process,
    'argv' | 'env' | 'cwd' | 'exit' | 'stderr'
  > = process,
) {
  if (proc.env.NODE_ENV !== 'production') return;
  const message = missingSettingsMessage({
    argv: proc.argv.slice(2),
    env: proc.env,
    cwd: proc.cwd(),
  });
  if (!message) return;
  proc.stderr.write(`${message}\n`);
  proc.exit(1);
}
