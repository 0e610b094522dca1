export { UsageCharts } from './UsageCharts';
