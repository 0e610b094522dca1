export { StateMessage } from './StateMessage';
