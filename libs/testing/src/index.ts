export * from './infrastructure';
export * from './processes';
