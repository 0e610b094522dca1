import { ResponseErrorPanel } from '@backstage/core-components';
import { UNVERIFIED_TENANT_ERROR } from '@bedrock-tenancy/plugin-bedrock-common';
import { messageOf, nameOf, statusOf } from '../../lib/errors';
import { StateMessage } from '../StateMessage';

/** A failed request, shown as what it means: not permitted, not found, or a backend error. */
export const ErrorState = ({ error }: { error: Error }) => {
  const status = statusOf(error);
  if (nameOf(error) === UNVERIFIED_TENANT_ERROR) {
    // the entity claims a tenant no binding confirms: no figures, and how an admin binds it
    return (
      <StateMessage title="Unverified tenant" testId="bedrock-unverified">
        {messageOf(error)}
      </StateMessage>
    );
  }
  if (status === 403) {
    return (
      <StateMessage title="Not permitted">
        {`You may not see this Bedrock usage. Ask the owner or a portal admin for access. (${messageOf(
          error,
        )})`}
      </StateMessage>
    );
  }
  if (status === 404) {
    return (
      <StateMessage title="No Bedrock tenant found">
        {messageOf(error)}
      </StateMessage>
    );
  }
  return <ResponseErrorPanel error={error} />;
};
