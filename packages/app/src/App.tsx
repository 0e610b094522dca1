import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import bedrockPlugin from '@bedrock-tenancy/plugin-bedrock/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    scaffolderPlugin,
    userSettingsPlugin,
    catalogGraphPlugin,
    // owner notifications (inbox page) and signals (live updates over a websocket)
    notificationsPlugin,
    signalsPlugin,
    bedrockPlugin,
    navModule,
  ],
});
