export { EnforcementBanner } from './EnforcementBanner';
