export { BedrockGroupCard } from './BedrockGroupCard';
