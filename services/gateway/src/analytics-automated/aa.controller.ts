import {
  AA_DETAIL,
  AA_INPUT_MAX_BYTES,
  AaFileNameSchema,
  AaSubjects,
  INLINE_PAYLOAD_LIMIT_BYTES,
  type ObjectRef,
  ServiceError,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { JOB_FILES } from '../cgi/cgi-jobs.controller';
import { sendDownload } from '../download';
import { escapeHtml, htmlPage } from '../html';
import { readForm } from '../http-body';
import { readMultipartUpload } from '../multipart-upload';
import { publicOrigin } from '../public-origin';

const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
/** How long a POST waits for its checks (the upload's validators read it whole). */
const SUBMIT_TIMEOUT_MS = 120_000;
/** DRF's PageNumberPagination PAGE_SIZE for `job/`. */
const PAGE_SIZE = 10;

type Format = 'json' | 'api';

/** A path segment decoded; a malformed escape is a name no job has. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment).slice(0, 200);
  } catch {
    throw ServiceError.notFound('Not found.');
  }
}
const detail = (status: number, message: string) => new ServiceError(status, AA_DETAIL, message);

/**
 * What DRF would render: `.json` or `?format=json` → JSON, `?format=api` → the browsable page; otherwise the
 * Accept header in order of preference, where anything that takes HTML (`*\/*` included, as python-requests
 * sends) gets the browsable page first, as A_A's renderer order has it.
 */
export function negotiate(suffix: string | undefined, query: unknown, accept: string | undefined): Format {
  const format = suffix ?? (typeof query === 'string' && query ? query : undefined);
  if (format === 'json') return 'json';
  if (format === 'api') return 'api';
  if (format !== undefined) throw ServiceError.notFound('Not found.');
  const ranges = (accept || '*/*')
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? '1',
      );
      return { type: type.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranges) {
    if (type === 'text/html' || type === '*/*' || type === 'text/*') return 'api';
    if (type === 'application/json' || type === 'application/*') return 'json';
  }
  throw detail(406, 'Could not satisfy the request Accept header.');
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
 * (`endpoints.json`, `submission/<UUID>.json`, and the `submission/.json` old clients post to).
 */
@ApiTags('analytics_automated')
@Controller()
export class AnalyticsAutomatedController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @Inject(JOB_FILES) private readonly jobFiles: TransferStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private origin(request: Request): string {
    return publicOrigin(request, this.config.PUBLIC_URL, this.config.PORT);
  }

  /** Sends a body as JSON (compact, as DRF does) or as the browsable API page. */
  private render(request: Request, response: Response, format: Format, status: number, body: unknown): void {
    response.status(status).setHeader('Vary', 'Accept');
    if (format === 'json') {
      response.type('application/json').send(JSON.stringify(body));
      return;
    }
    const statusLine = `HTTP ${status} ${response.statusMessage || ''}`.trim();
    const page =
      `<main><h1>analytics_automated</h1><p><code>${escapeHtml(request.method)} ${escapeHtml(request.originalUrl)}</code></p>` +
      `<pre class="card">${escapeHtml(statusLine)}\nContent-Type: application/json\nVary: Accept\n\n${escapeHtml(JSON.stringify(body, null, 4))}</pre>` +
      `<p><a href="?format=json">json</a></p></main>`;
    response.type('text/html; charset=utf-8').send(htmlPage('analytics_automated', page));
  }

  /** A path under /analytics_automated/ without DRF's format suffix, and the suffix. */
  private route(path: string): { base: string; suffix?: string } {
    const match = /^(.*?)\.(json|html)\/?$/.exec(path);
    return match ? { base: match[1]!.replace(/\/$/, ''), suffix: match[2] } : { base: path.replace(/\/$/, '') };
  }

  @Get(['analytics_automated', 'analytics_automated/*path'])
  @ApiOperation({
    summary:
      'analytics_automated: endpoints/, job/, job/<name>, jobtimes/, submission/<UUID>, submission/single/<UUID>, submissions/<file>',
  })
  async get(@Req() request: Request, @Res() response: Response): Promise<void> {
    const path = request.path.slice('/analytics_automated/'.length);
    // Files first: a result's name may end in .json, which is not a format suffix there.
    const files = /^submissions\/([^/]+)$/.exec(path);
    if (files) return this.download(files[1]!, response);
    const { base, suffix } = this.route(path);
    const format = negotiate(suffix, request.query.format, request.headers.accept);
    let match: RegExpExecArray | null;
    if (base === 'endpoints')
      return this.render(request, response, format, 200, await this.rpc.request(AaSubjects.endpoints, {}));
    if (base === 'jobtimes')
      return this.render(request, response, format, 200, await this.rpc.request(AaSubjects.jobTimes, {}));
    if (base === 'job')
      return this.render(
        request,
        response,
        format,
        200,
        this.page(request, await this.rpc.request(AaSubjects.listJobs, {})),
      );
    if ((match = /^job\/([^/]+)$/.exec(base)))
      return this.render(
        request,
        response,
        format,
        200,
        await this.rpc.request(AaSubjects.getJob, { name: decodedSegment(match[1]!) }),
      );
    if ((match = new RegExp(`^submission/single/(${UUID})$`).exec(base)))
      return this.render(
        request,
        response,
        format,
        200,
        await this.rpc.request(AaSubjects.getSubmission, { uuid: match[1]! }),
      );
    if ((match = new RegExp(`^submission/(${UUID})$`).exec(base)))
      return this.render(
        request,
        response,
        format,
        200,
        await this.rpc.request(AaSubjects.getBatch, { uuid: match[1]! }),
      );
    throw ServiceError.notFound('Not found.');
  }

  /** DRF's PageNumberPagination over `job/`: `?page=N`, 10 a page, absolute next/previous links. */
  private page(request: Request, jobs: Array<{ pk: number; name: string }>) {
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
    if (!(page >= 1 && page <= pages)) throw detail(404, 'Invalid page.');
    const link = (n: number) => {
      const url = new URL(request.originalUrl, this.origin(request));
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

  /** An input or result file (A_A's MEDIA_URL `/submissions/`), also served at the site root as A_A's web server does. */
  @Get('submissions/:name')
  @ApiOperation({ summary: "analytics_automated: a submission's input or result file, as its data_path names it" })
  async file(@Param('name') name: string, @Res() response: Response): Promise<void> {
    return this.download(name, response);
  }

  private async download(name: string, response: Response): Promise<void> {
    if (!AaFileNameSchema.safeParse(name).success) throw ServiceError.notFound('Not found.');
    const file = await this.rpc.request(AaSubjects.getFile, { name });
    await sendDownload(
      response,
      { 'Content-Type': fileType(file.name), 'Content-Length': file.ref.size },
      this.jobFiles.stream(file.ref),
    );
  }

  @Post(['analytics_automated', 'analytics_automated/*path'])
  @ApiOperation({
    summary:
      'analytics_automated: POST submission/ (also submission.json and submission/.json), multipart: job, submission_name, email, input_data, parameters',
  })
  async post(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { base, suffix } = this.route(request.path.slice('/analytics_automated/'.length));
    if (base !== 'submission') {
      request.resume();
      throw ServiceError.notFound('Not found.');
    }
    const format = negotiate(suffix, request.query.format, request.headers.accept);
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
      throw detail(
        415,
        `Unsupported media type "${(request.headers['content-type'] ?? '').slice(0, 100)}" in request.`,
      );
    }
    let reply;
    try {
      // The form's text travels in the message: past what a message carries it is refused, not truncated.
      if (Buffer.byteLength(JSON.stringify(fields)) > INLINE_PAYLOAD_LIMIT_BYTES) {
        throw ServiceError.payloadTooLarge(
          `The form's fields are larger than ${INLINE_PAYLOAD_LIMIT_BYTES / 1024} KiB in all.`,
        );
      }
      // Checking a large upload takes a while (it is read as a stream): the service is given longer than usual.
      reply = await this.rpc.request(
        AaSubjects.submit,
        { fields, input, client: request.ip ?? '', baseUri: `${this.origin(request)}/analytics_automated` },
        { timeoutMs: Math.max(this.config.RPC_TIMEOUT_MS, SUBMIT_TIMEOUT_MS) },
      );
    } catch (error) {
      // A refused form's upload is removed (the service removes those it refused itself); after a timeout the
      // service may still hold it, so it is left to the bucket's expiry.
      if (input && error instanceof ServiceError && error.status < 500) await this.transfers.remove(input.ref);
      throw error;
    }
    this.render(request, response, format, 201, reply);
  }
}
