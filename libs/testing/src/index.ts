export * from './infrastructure';
export * from './processes';
export * from './stack';
export * from './chromium';
export * from './typing-data';
