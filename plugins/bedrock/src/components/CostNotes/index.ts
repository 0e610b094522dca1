export { CostNotes } from './CostNotes';
