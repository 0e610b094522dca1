export { FreshnessBar } from './FreshnessBar';
