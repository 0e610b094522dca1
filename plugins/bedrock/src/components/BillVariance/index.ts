export {
  BillVariance,
  formatVariance,
  varianceSentence,
  type VarianceFigures,
} from './BillVariance';
