import {
  AA_INPUT_MAX_BYTES,
  AaFileNameSchema,
  AaSubjects,
  INLINE_PAYLOAD_LIMIT_BYTES,
  type ObjectRef,
  ServiceError,
} from '@helixgate/contracts';
import { InjectConfig, InjectJobFiles, RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { GatewayConfig } from '../config';
import { sendDownload } from '../download';
import { readForm } from '../http-body';
import { readMultipartUpload } from '../multipart-upload';
import { PublicOrigin } from '../public-origin';
import { DrfRendered, drfDetail, withFormatSuffixes } from './drf-rendering';

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
/** How long a POST waits for its checks (the upload's validators read it whole). */
const SUBMIT_TIMEOUT_MS = 120_000;
/** DRF's PageNumberPagination PAGE_SIZE for `job/`. */
const PAGE_SIZE = 10;

function uuidOf(value: string): string {
  if (!UUID.test(value)) throw ServiceError.notFound('Not found.');
  return value;
}

/** The content type of a result file by its ending; never HTML, whatever a job writes. */
function fileType(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (/\.(txt|tsv|csv|ss2|horiz|fa|fasta|fna|faa|pdb|stdout|log|input)$/i.test(name))
    return 'text/plain; charset=utf-8';
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.gif')) return 'image/gif';
  if (/\.jpe?g$/i.test(name)) return 'image/jpeg';
  return 'application/octet-stream';
}

/**
 * analytics_automated (`/analytics_automated/...`), routed as A_A's Django URLs with DRF's format suffixes
 * (`endpoints.json`, `submission/<UUID>.json`, and the `submission/.json` old clients post to). A path under
 * /analytics_automated/ that none of these routes serves is AnalyticsAutomatedNoSuchRouteController's. Routes match
 * in the order declared: listJobs before getJob, since `job/.json` is the list.
 */
@ApiTags('analytics_automated')
@Controller()
export class AnalyticsAutomatedController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @InjectJobFiles() private readonly jobFiles: TransferStore,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Get(withFormatSuffixes('analytics_automated/endpoints'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: the jobs and the parameters each takes' })
  endpoints() {
    return this.rpc.request(AaSubjects.endpoints, {});
  }

  @Get(withFormatSuffixes('analytics_automated/jobtimes'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: the mean run time of each job' })
  jobTimes() {
    return this.rpc.request(AaSubjects.jobTimes, {});
  }

  /** DRF's PageNumberPagination over `job/`: `?page=N`, 10 a page, absolute next/previous links. */
  @Get(withFormatSuffixes('analytics_automated/job'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: the jobs (paged: ?page=N)' })
  async listJobs(@Req() request: Request, @PublicOrigin() origin: string) {
    const jobs = await this.rpc.request(AaSubjects.listJobs, {});
    const raw = request.query.page;
    const pages = Math.max(1, Math.ceil(jobs.length / PAGE_SIZE));
    const page =
      raw === undefined
        ? 1
        : typeof raw === 'string' && /^\d+$/.test(raw)
          ? Number(raw)
          : typeof raw === 'string' && raw === 'last'
            ? pages
            : NaN;
    if (!(page >= 1 && page <= pages)) throw drfDetail(404, 'Invalid page.');
    const link = (n: number) => {
      const url = new URL(request.originalUrl, origin);
      if (n === 1) url.searchParams.delete('page');
      else url.searchParams.set('page', String(n));
      return url.toString();
    };
    return {
      count: jobs.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: jobs.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    };
  }

  @Get(withFormatSuffixes('analytics_automated/job/:name'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: a job and its tasks' })
  getJob(@Param('name') name: string) {
    return this.rpc.request(AaSubjects.getJob, { name: name.slice(0, 200) });
  }

  @Get(withFormatSuffixes('analytics_automated/submission/single/:uuid'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: one submission of a batch' })
  getSubmission(@Param('uuid') uuid: string) {
    return this.rpc.request(AaSubjects.getSubmission, { uuid: uuidOf(uuid) });
  }

  @Get(withFormatSuffixes('analytics_automated/submission/:uuid'))
  @DrfRendered()
  @ApiOperation({ summary: 'analytics_automated: a batch of submissions and their results' })
  getBatch(@Param('uuid') uuid: string) {
    return this.rpc.request(AaSubjects.getBatch, { uuid: uuidOf(uuid) });
  }

  @Post(withFormatSuffixes('analytics_automated/submission'))
  @HttpCode(201)
  @DrfRendered()
  @ApiOperation({
    summary:
      'analytics_automated: POST submission/ (also submission.json and submission/.json), multipart: job, submission_name, email, input_data, parameters',
  })
  async submit(@Req() request: Request, @PublicOrigin() origin: string) {
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    let fields: Array<[string, string]>;
    let input: { fileName: string; ref: ObjectRef } | undefined;
    if (contentType.startsWith('multipart/form-data')) {
      const upload = await readMultipartUpload(request, this.transfers, {
        file: (field, stored) => (field === 'input_data' && !stored.has(field) ? 'store' : 'ignore'),
        fileMaxBytes: AA_INPUT_MAX_BYTES,
        fileTooLarge: () => `The input_data file is larger than ${AA_INPUT_MAX_BYTES / 1024 ** 2} MB.`,
        maxFiles: 10,
        maxFields: 200,
        fieldMaxBytes: 100_000,
        tooManyFiles: 'Too many files in the form.',
      });
      fields = upload.fields;
      const file = upload.files[0];
      if (file) input = { fileName: file.fileName, ref: file.ref };
    } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      fields = [...(await readForm(request, 1024 ** 2))];
    } else {
      request.resume();
      throw drfDetail(
        415,
        `Unsupported media type "${(request.headers['content-type'] ?? '').slice(0, 100)}" in request.`,
      );
    }
    try {
      // The form's text travels in the message: past what a message carries it is refused, not truncated.
      if (Buffer.byteLength(JSON.stringify(fields)) > INLINE_PAYLOAD_LIMIT_BYTES) {
        throw ServiceError.payloadTooLarge(
          `The form's fields are larger than ${INLINE_PAYLOAD_LIMIT_BYTES / 1024} KiB in all.`,
        );
      }
      // Checking a large upload takes a while (it is read as a stream): the service is given longer than usual.
      return await this.rpc.request(
        AaSubjects.submit,
        { fields, input, client: request.ip ?? '', baseUri: `${origin}/analytics_automated` },
        { timeoutMs: Math.max(this.config.RPC_TIMEOUT_MS, SUBMIT_TIMEOUT_MS) },
      );
    } catch (error) {
      // A refused form's upload is removed (the service removes those it refused itself); after a timeout the
      // service may still hold it, so it is left to the bucket's expiry.
      if (input && error instanceof ServiceError && error.status < 500) await this.transfers.remove(input.ref);
      throw error;
    }
  }

  /** An input or result file (A_A's MEDIA_URL `/submissions/`), also served at the site root as A_A's web server does. */
  @Get('submissions/:name')
  @ApiOperation({ summary: "analytics_automated: a submission's input or result file, as its data_path names it" })
  // @Res(): sendDownload streams to the raw response (first chunk read before any header, cut short on a failed read).
  async getFile(@Param('name') name: string, @Res() response: Response): Promise<void> {
    return this.sendFile(name, response);
  }

  @Get('analytics_automated/submissions/:name')
  @ApiOperation({ summary: "analytics_automated: a submission's input or result file, as its data_path names it" })
  // @Res(): as getFile. A_A's URL pattern takes the name as sent: an escaped or slash-ended one names no file.
  async getSubmissionFile(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.sendFile(request.path.slice(request.path.lastIndexOf('/') + 1), response);
  }

  private async sendFile(name: string, response: Response): Promise<void> {
    if (!AaFileNameSchema.safeParse(name).success) throw ServiceError.notFound('Not found.');
    const file = await this.rpc.request(AaSubjects.getFile, { name });
    await sendDownload(
      response,
      { 'Content-Type': fileType(file.name), 'Content-Length': file.ref.size },
      this.jobFiles.stream(file.ref),
    );
  }
}
