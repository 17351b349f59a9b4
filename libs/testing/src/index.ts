export * from './infrastructure';
export * from './processes';
export * from './stack';
export * from './chromium';
export * from './typing-data';
export * from './raw-http';
export * from './oauth';
export * from './service-stack';
