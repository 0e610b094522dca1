export { BudgetIncreases } from './BudgetIncreases';
