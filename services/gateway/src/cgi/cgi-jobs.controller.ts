import {
  CGI_FILE_MAX_BYTES,
  CGI_JOB,
  CGI_RESULTS_FILE,
  CgiInputKindSchema,
  type Identity,
  JobSubjects,
  type ObjectRef,
  type Run,
  ServiceError,
} from '@helixgate/contracts';
import { InjectJobFiles, RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CgiAuthenticated } from './cgi-boundary.controller';
import { CurrentIdentity } from '../auth/guards';
import { sendDownload } from '../download';
import { readMultipartUpload } from '../multipart-upload';

const CGI_ID = /^[0-9a-f]{20}$/;
/** CGI's 404 for a job that is not there (or is another user's). */
const JOB_NOT_FOUND = 'Job not found.';

/** A request about one job: the jobs service's 404 (the run is gone, deleted meanwhile, or another user's) is CGI's. */
function aboutJob<T>(reply: Promise<T>): Promise<T> {
  return reply.catch((error: unknown) => {
    if (error instanceof ServiceError && error.status === 404) throw ServiceError.notFound(JOB_NOT_FOUND);
    throw error;
  });
}

/** CGI's three job states: ours Submitted and Running are its Running; Complete is Done. */
const status = (run: Run) => (run.state === 'Complete' ? 'Done' : run.state === 'Error' ? 'Error' : 'Running');

/** A CGI job's info as CGI answers it: {status, metadata: {id, user, title, cancertype, reference, dataset, date}}. */
function info(run: Run) {
  const m = run.metadata as Record<string, string | undefined>;
  return {
    status: status(run),
    metadata: {
      id: run.id,
      user: run.owner,
      title: m.title ?? '',
      cancertype: m.cancertype,
      reference: m.reference,
      dataset: m.dataset,
      date: m.date,
    },
  };
}

interface LaunchForm {
  fields: Record<string, string>;
  files: Array<{ kind: 'mutations' | 'cnas' | 'translocations'; fileName: string; ref: ObjectRef }>;
}

/**
 * The Cancer Genome Interpreter REST API (`/api/v1`): launch a job with a multipart form, list, info, logs,
 * download the results zip, delete. `Authorization: <email> <token>` is checked first; a job of another user
 * is a 404. Errors are CGI's `{"error_code": …, "message": …}`.
 */
@ApiTags('Cancer Genome Interpreter')
@UseGuards(CgiAuthenticated)
@Controller('api/v1')
export class CgiJobsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @InjectJobFiles() private readonly jobFiles: TransferStore,
  ) {}

  /** Reads the multipart form as it arrives: the three files go straight to the object store, never into memory. */
  private async readForm(request: Request): Promise<LaunchForm> {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw ServiceError.badRequest(
        'Send the job as multipart/form-data: cancer_type, title, reference and the files mutations, cnas, translocations.',
      );
    }
    const upload = await readMultipartUpload(request, this.transfers, {
      file: (field, stored) => {
        const kind = CgiInputKindSchema.safeParse(field);
        if (!kind.success)
          return ServiceError.badRequest(
            `Unknown file ${JSON.stringify(field.slice(0, 50))}: send mutations, cnas or translocations.`,
          );
        return stored.has(kind.data) ? 'ignore' : 'store';
      },
      fileMaxBytes: CGI_FILE_MAX_BYTES,
      fileTooLarge: (field) => `The ${field} file is larger than ${CGI_FILE_MAX_BYTES / 1024 ** 2} MB.`,
      maxFiles: 3,
      maxFields: 27,
      fieldMaxBytes: 10_000,
      tooManyFiles: 'At most three files: mutations, cnas and translocations.',
    });
    const fields: Record<string, string> = {};
    for (const [name, value] of upload.fields)
      if (['cancer_type', 'title', 'reference'].includes(name)) fields[name] = value;
    return {
      fields,
      files: upload.files.map((f) => ({ kind: CgiInputKindSchema.parse(f.field), fileName: f.fileName, ref: f.ref })),
    };
  }

  private owned(identity: Identity, id: string) {
    if (!CGI_ID.test(id)) throw ServiceError.notFound(JOB_NOT_FOUND);
    return aboutJob(this.rpc.request(JobSubjects.getRun, { runId: id, owner: identity.email }));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Launch a job: multipart form with cancer_type, title, reference and the files mutations, cnas, translocations; answers the job id',
  })
  @Header('Content-Type', 'application/json; charset=utf-8')
  async launchCgi(@Req() request: Request, @CurrentIdentity() identity: Identity): Promise<string> {
    const form = await this.readForm(request);
    const run = await this.rpc.request(JobSubjects.launchCgi, {
      owner: identity.email,
      cancerType: form.fields.cancer_type ?? '',
      title: form.fields.title,
      reference: form.fields.reference,
      files: form.files,
    });
    return JSON.stringify(run.id); // a JSON string, as CGI answers: clients call r.json() or strip the quotes
  }

  @Get()
  @ApiOperation({ summary: "The user's job ids, oldest first" })
  async listRuns(@CurrentIdentity() identity: Identity): Promise<string[]> {
    return (await this.rpc.request(JobSubjects.listRuns, { owner: identity.email, job: CGI_JOB })).map((run) => run.id);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A job: {status, metadata}; ?action=logs → {status, logs}; ?action=download → the results zip',
  })
  // @Res(): ?action=download streams the results zip to the raw response (see sendDownload).
  async getRun(
    @Param('id') id: string,
    @Query('action') action: unknown,
    @CurrentIdentity() identity: Identity,
    @Res() response: Response,
  ): Promise<void> {
    const run = await this.owned(identity, id);
    if (action === undefined || action === '') {
      response.json(info(run));
      return;
    }
    if (action === 'logs') {
      const { lines } = await aboutJob(this.rpc.request(JobSubjects.getLogs, { runId: run.id, owner: identity.email }));
      response.json({ status: status(run), logs: lines });
      return;
    }
    if (action === 'download') {
      const zip = run.outputs.find((o) => o.name === CGI_RESULTS_FILE);
      if (!zip)
        throw ServiceError.notFound(
          run.state === 'Complete' ? 'The job has no results.' : `The job is not done (status ${status(run)}).`,
        );
      const headers = {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${run.id}.zip"`,
        'Content-Length': zip.ref.size,
      };
      await sendDownload(response, headers, this.jobFiles.stream(zip.ref));
      return;
    }
    throw ServiceError.badRequest('action must be logs or download.');
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a job and its files' })
  async deleteRun(@Param('id') id: string, @CurrentIdentity() identity: Identity) {
    const run = await this.owned(identity, id);
    await aboutJob(this.rpc.request(JobSubjects.deleteRun, { runId: run.id, owner: identity.email }));
    return { status: 'Deleted', id: run.id };
  }
}
