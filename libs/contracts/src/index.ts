// Shared by every contract: subjects, the error envelope, object-store references, safe readers of client input.
export * from './errors';
export * from './subject';
export * from './transfer';
export * from './byte-stream';
export * from './safe-json';
export * from './fasta';
// Each service's subjects, filed under the service that answers them.
export * from './results-import';
export * from './auth';
export * from './typing-db';
export * from './typing-db-submission-support';
export * from './jobs';
export * from './submissions-bigsdb';
export * from './submissions-analytics-automated';
