/*
 * Local demo helper, NOT for production: runs the test-only Bedrock inference-profile stand-in in
 * front of a running moto, because moto 5.2.1 lacks CreateInferenceProfile & co. Point
 * BEDROCK_AWS_ENDPOINT at the printed endpoint; every other request is forwarded to moto.
 *
 *   yarn tsx plugins/scaffolder-backend-module-bedrock/dev/profiles-stand-in.ts \
 *     --moto http://127.0.0.1:4566 --port 4567 [--account 123456789012]
 */
import { startBedrockStandIn } from '../src/__testUtils__/bedrockProfilesStandIn';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

async function main() {
  const standIn = await startBedrockStandIn({
    motoEndpoint: arg('moto', 'http://127.0.0.1:4566'),
    accountId: arg('account', '123456789012'),
    port: Number(arg('port', '4567')),
  });
  process.stdout.write(`bedrock inference-profile stand-in ready on ${standIn.endpoint}\n`);
  const stop = () => standIn.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(`${e}\n`);
  process.exit(1);
});
