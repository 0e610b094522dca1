import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  groupEntity,
  plainEntity,
  tenantEntity,
} from './__fixtures__/entities';
import plugin, {
  bedrockApi,
  bedrockEntityContent,
  bedrockEntityOverviewCard,
  bedrockGroupCard,
  bedrockUnattributedCard,
} from './alpha';
import { bedrockApiRef } from './api';

describe('alpha plugin', () => {
  it('mounts the tab at /bedrock, titled Bedrock, on tenant entities only', () => {
    const tester = createExtensionTester(bedrockEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/bedrock');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Bedrock');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction.optional(),
    )!;
    expect(filter(tenantEntity)).toBe(true);
    expect(filter(plainEntity)).toBe(false);
  });

  it('shows the overview card on tenant entities only', () => {
    const tester = createExtensionTester(bedrockEntityOverviewCard);
    const filter = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction.optional(),
    )!;
    expect(filter(tenantEntity)).toBe(true);
    expect(filter(plainEntity)).toBe(false);
  });

  it('shows the group card on groups only', () => {
    const tester = createExtensionTester(bedrockGroupCard);
    const filter = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction.optional(),
    );
    expect(filter?.(groupEntity)).toBe(true);
    expect(filter?.(tenantEntity)).toBe(false);
  });

  it('shows the admins card of usage no tenant owns on groups only', () => {
    const tester = createExtensionTester(bedrockUnattributedCard);
    const filter = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction.optional(),
    );
    expect(filter?.(groupEntity)).toBe(true);
    expect(filter?.(tenantEntity)).toBe(false);
  });

  it('provides the client', () => {
    const tester = createExtensionTester(bedrockApi);
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      bedrockApiRef.id,
    );
  });

  it('is the bedrock plugin, with the documented extension ids', () => {
    expect(plugin.id).toBe('bedrock');
    for (const id of [
      'api:bedrock',
      'entity-content:bedrock',
      'entity-card:bedrock/overview',
      'entity-card:bedrock/group',
      'entity-card:bedrock/unattributed',
    ]) {
      expect(plugin.getExtension(id as any)).toBeDefined();
    }
  });
});
