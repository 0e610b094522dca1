export { SectionView } from './SectionView';
