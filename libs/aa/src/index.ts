// analytics_automated (A_A) compatibility: the endpoints strings and parameter membership rule, the parameter
// value sanity check and the input validators, as A_A implements them. Pure functions; serverCommands() alone
// reads the filesystem.
export * from './endpoints';
export * from './validators';
export * from './value-sanity';
