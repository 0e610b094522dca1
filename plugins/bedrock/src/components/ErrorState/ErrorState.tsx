import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { UNVERIFIED_TENANT_ERROR } from '@bedrock-tenancy/plugin-bedrock-common';
import { messageOf, nameOf, statusOf } from '../../lib/errors';

/** A failed request, shown as what it means: not permitted, not found, or a backend error. */
export const ErrorState = ({ error }: { error: Error }) => {
  const status = statusOf(error);
  if (nameOf(error) === UNVERIFIED_TENANT_ERROR) {
    // the entity claims a tenant no binding confirms: no figures, and how an admin binds it
    return (
      <div data-testid="bedrock-unverified">
        <EmptyState
          missing="info"
          title="Unverified tenant"
          description={messageOf(error)}
        />
      </div>
    );
  }
  if (status === 403) {
    return (
      <EmptyState
        missing="info"
        title="Not permitted"
        description={`You may not see this Bedrock usage. Ask the owner or a portal admin for access. (${messageOf(
          error,
        )})`}
      />
    );
  }
  if (status === 404) {
    return (
      <EmptyState
        missing="info"
        title="No Bedrock tenant found"
        description={messageOf(error)}
      />
    );
  }
  return <ResponseErrorPanel error={error} />;
};
