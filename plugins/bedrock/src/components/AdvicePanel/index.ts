export { AdvicePanel } from './AdvicePanel';
