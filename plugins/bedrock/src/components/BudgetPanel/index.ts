export { BudgetPanel } from './BudgetPanel';
