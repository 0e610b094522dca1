/* TEST-ONLY: AWS clients that reach nothing and record every attempt, even a credential lookup. */
import {
  AwsClientFactory,
  type AwsCallInfo,
} from '@bedrock-tenancy/plugin-bedrock-node';

/** A factory whose every call would fail loudly; `expectNone` asserts not one was tried. */
export function noAwsFactory() {
  const calls: AwsCallInfo[] = [];
  const credentials = jest.fn(async () => async () => ({
    accessKeyId: 'x',
    secretAccessKey: 'y',
  }));
  const factory = AwsClientFactory.create({
    credentials,
    endpoint: 'http://127.0.0.1:9', // nothing listens
    maxAttempts: 1,
    onCall: c => {
      calls.push(c);
    },
  });
  return {
    factory,
    /** what was tried since the last reset */
    calls,
    /** forget the calls so far: each test judges only its own */
    reset() {
      calls.length = 0;
      credentials.mockClear();
    },
    expectNone() {
      expect(calls).toEqual([]);
      expect(credentials).not.toHaveBeenCalled();
    },
  };
}
