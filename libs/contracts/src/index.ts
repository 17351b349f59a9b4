export * from './errors';
export * from './subject';
export * from './transfer';
export * from './results';
export * from './auth';
export * from './typing';
export * from './jobs';
