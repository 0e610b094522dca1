export { RegionTable } from './RegionTable';
