export { BedrockOverviewCard } from './BedrockOverviewCard';
