export { BedrockTab } from './BedrockTab';
export { BedrockOverviewCard } from './BedrockOverviewCard';
export { BedrockGroupCard } from './BedrockGroupCard';
export { BedrockUnattributedCard } from './BedrockUnattributedCard';
