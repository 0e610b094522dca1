export { ModelTable } from './ModelTable';
