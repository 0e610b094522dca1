export { RangePicker, customRange } from './RangePicker';
