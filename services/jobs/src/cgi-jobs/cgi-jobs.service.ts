import { randomBytes } from 'node:crypto';
import { InputError, isCancerType, type InputKind, parseInputs } from '@helixgate/cgi';
import {
  CGI_BUILTIN,
  CGI_FILE_MAX_BYTES,
  CGI_JOB,
  CGI_JOB_MAX_BYTES,
  type JobDefinition,
  type JobSubjects,
  type ParsedRequest,
  type Run,
  ServiceError,
} from '@helixgate/contracts';
import { TransferStore } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DefinitionsService } from '../definitions/definitions.service';
import { RunsService } from '../runs/runs.service';

/** The job a CGI launch runs: one built-in step, the analysis (jobs-worker's cgi-analysis). */
export const CGI_DEFINITION: JobDefinition = {
  name: CGI_JOB,
  description: 'Cancer Genome Interpreter: interprets mutations, CNAs and translocations against the knowledge base',
  runnable: true,
  analyticsAutomated: false,
  validators: [],
  steps: [
    {
      order: 1,
      task: {
        kind: 'builtin',
        name: CGI_BUILTIN,
        builtin: CGI_BUILTIN,
        inGlobs: [],
        parameters: [],
        timeoutSeconds: 3600,
      },
    },
  ],
};

const REFERENCES = ['hg19', 'hg38'];

/**
 * Cancer Genome Interpreter launches: what CGI checks before it queues a job (cancer type, reference, at least
 * one file, files it can read), then a run of the CGI job, whose id is CGI's 20 hex characters.
 */
@Injectable()
export class CgiJobsService implements OnApplicationBootstrap {
  constructor(
    private readonly runs: RunsService,
    private readonly definitions: DefinitionsService,
    private readonly transfers: TransferStore,
  ) {}

  /** The CGI job is part of the product: its definition is put at every start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.definitions.putDefinition(CGI_DEFINITION);
  }

  async launchCgi(request: ParsedRequest<typeof JobSubjects.launchCgi>): Promise<Run> {
    const refs = request.files.map((f) => f.ref);
    try {
      if (!request.cancerType) throw ServiceError.badRequest('cancer_type is required.');
      if (!isCancerType(request.cancerType))
        throw ServiceError.badRequest(`cancer_type ${request.cancerType} is not one of CGI's cancer types.`);
      const reference = request.reference || 'hg38';
      if (!REFERENCES.includes(reference)) throw ServiceError.badRequest('reference must be hg19 or hg38.');
      if (!request.files.length)
        throw ServiceError.badRequest('At least one of the files mutations, cnas or translocations is required.');
      const total = request.files.reduce((sum, f) => sum + f.ref.size, 0);
      if (total > CGI_JOB_MAX_BYTES) {
        const mb = (bytes: number) => bytes / 1024 ** 2;
        throw ServiceError.payloadTooLarge(
          `The files are larger than ${mb(CGI_JOB_MAX_BYTES)} MB in all (${mb(total).toFixed(1)} MB).`,
        );
      }
      const texts: Partial<Record<InputKind, string>> = {};
      for (const file of request.files)
        texts[file.kind] = (await this.transfers.read(file.ref, CGI_FILE_MAX_BYTES)).toString('utf8');
      try {
        parseInputs(texts);
      } catch (error) {
        if (error instanceof InputError) throw ServiceError.badRequest(error.message);
        throw error;
      }
      return await this.runs.submitRun({
        job: CGI_JOB,
        owner: request.owner,
        priority: 'normal',
        parameters: {},
        id: randomBytes(10).toString('hex'),
        inputs: request.files.map((f) => ({ name: f.kind, ref: f.ref })),
        metadata: {
          title: request.title ?? '',
          cancertype: request.cancerType,
          reference,
          dataset: request.files.map((f) => f.fileName).join(', '),
          date: new Date().toISOString().slice(0, 19).replace('T', ' '),
        },
      });
    } catch (error) {
      for (const ref of refs) await this.transfers.remove(ref);
      throw error;
    }
  }
}
