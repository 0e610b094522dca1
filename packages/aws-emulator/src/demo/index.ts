export * from './tenants';
export * from './traffic';
export * from './seed';
export { seededRandom } from './random';
export * from './provision';
export * from './catalog';
export * from './expected';
