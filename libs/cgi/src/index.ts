// The Cancer Genome Interpreter domain, shared by the jobs service (validation at launch, knowledge base
// loading) and jobs-worker (the analysis). Pure functions, no I/O.
export * from './alterations';
export * from './analysis';
export * from './cancer-types';
export * from './inputs';
export * from './knowledge-base';
export * from './zip';
