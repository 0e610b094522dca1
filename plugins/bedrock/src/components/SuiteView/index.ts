export { SuiteView } from './SuiteView';
