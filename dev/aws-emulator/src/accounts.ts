import type { AwsCredentialIdentity } from '@aws-sdk/types';

/** The emulator's two AWS accounts: a shared platform account and a team's own account. */
export const DEMO_ACCOUNTS = {
  platform: '123456789012',
  risk: '210987654321',
} as const;

/** Static credentials of the emulator's default account (moto accepts any). */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIADEMOPLATFORM0001',
  secretAccessKey: 'demo-secret-not-a-real-key',
};
