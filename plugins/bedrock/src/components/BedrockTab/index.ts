export { BedrockTab } from './BedrockTab';
