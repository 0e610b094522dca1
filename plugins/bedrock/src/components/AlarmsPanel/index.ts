export { AlarmsPanel, AlarmStateChip } from './AlarmsPanel';
