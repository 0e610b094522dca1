export * from './tenants';
export * from './traffic';
export * from './seed';
export { seededRandom, profileIdFor } from './random';
export * from './catalog';
export * from './expected';
