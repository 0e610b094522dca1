export { BedrockUnattributedCard } from './BedrockUnattributedCard';
