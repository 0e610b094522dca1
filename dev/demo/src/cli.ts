/*
 * yarn emulator start [--port 4566] [--stand-in-port 4567]
 *     start moto and the inference-profile stand-in, seed the demo, run until Ctrl-C
 * yarn emulator seed [--endpoint URL] [--bedrock-endpoint URL]
 *     (re)seed a running emulator (moto at 4566, the stand-in at 4567 by default)
 * yarn emulator catalog               print examples/tenants.yaml
 */
import {
  DEMO_ACCOUNTS,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/aws-emulator';
import { demoCatalogYaml } from './catalog';
import { seedDemo } from './seed';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (m: string) => process.stdout.write(`[emulator] ${m}\n`);

async function main() {
  const command = args[0];
  if (command === 'catalog') {
    process.stdout.write(demoCatalogYaml());
    return;
  }
  if (command === 'seed') {
    const endpoint = flag('endpoint') ?? 'http://127.0.0.1:4566';
    const bedrockEndpoint = flag('bedrock-endpoint') ?? 'http://127.0.0.1:4567';
    const r = await seedDemo({ endpoint, bedrockEndpoint, log });
    log(
      `seeded ${r.datapoints} datapoints, ${r.alarms} alarms, ${
        r.budgets
      } budgets up to ${r.anchor.toISOString()}`,
    );
    return;
  }
  if (command === 'start') {
    const port = Number(flag('port') ?? 4566);
    const moto = await startMoto({ port });
    log(`moto server answering at ${moto.endpoint}`);
    // moto lacks Bedrock inference profiles: a stand-in answers those paths, forwards the rest.
    const standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: DEMO_ACCOUNTS.platform,
      port: Number(flag('stand-in-port') ?? port + 1),
    });
    log(`inference-profile stand-in in front of it at ${standIn.endpoint}`);
    const stop = async () => {
      log('stopping moto server');
      await standIn.stop();
      await moto.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // the demo stacks' profiles stay in this stand-in, so templates can update or delete them
    const r = await seedDemo({
      endpoint: moto.endpoint,
      bedrockEndpoint: standIn.endpoint,
      log,
    });
    log(
      `seeded ${r.datapoints} datapoints, ${r.alarms} alarms, ${
        r.budgets
      } budgets up to ${r.anchor.toISOString()}`,
    );
    log('ready (Ctrl-C stops it)');
    setInterval(() => {}, 1 << 30);
    return;
  }
  process.stderr.write(
    'usage: emulator start [--port N] [--stand-in-port N] | seed [--endpoint URL] [--bedrock-endpoint URL] | catalog\n',
  );
  process.exit(2);
}

main().catch(e => {
  process.stderr.write(
    `[emulator] ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
