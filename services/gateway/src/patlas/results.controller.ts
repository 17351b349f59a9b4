import { JsonScanner, ResultIdSchema, ResultsSubjects, ServiceError, type ReplyOf } from '@helixgate/contracts';
import { InjectConfig, RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExcludeEndpoint,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { GatewayConfig } from '../config';
import { sendDownload } from '../download';
import { readOrParkBody } from '../http-body';
import { PublicOrigin } from '../public-origin';
import { firstSamples, samplesRange } from './results-document';
import { renderNotFoundPage, renderResultsPage, SAMPLE_LIMIT } from './results-page';
import { RESULTS_PAGE_SCRIPT } from './results-page.script';

const EXAMPLE = {
  type: 'mapping',
  samples: { sample_1: { NZ_CP015088_1: 0.6800298214104171, NZ_CP019048_1: 0.6414056876230454, NZ_CP029222_1: 1.0 } },
};

/** pATLAS `POST /results/` and the page its links open. */
@ApiTags('pATLAS results import')
@Controller('results')
export class PatlasResultsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Store results and get a shareable link',
    description:
      'The body is JSON with `type` (mapping, mash_screen or assembly) and `samples` ({sample: {accession: value}}), ' +
      'with or without a JSON Content-Type. The reply is the link as text. The same document always gets the same link; links live one day.',
  })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  @ApiProduces('text/html', 'text/plain')
  @ApiResponse({ status: 200, description: 'The link, e.g. http://host/results?query=15675682358507007771' })
  @ApiResponse({
    status: 400,
    description: "pATLAS's plain-text messages, e.g. `No 'type' field was provided in the JSON object.`",
  })
  @ApiResponse({ status: 413, description: 'Body larger than RESULTS_MAX_BODY_BYTES' })
  @Header('Content-Type', 'text/html; charset=utf-8')
  async create(@Req() request: Request, @PublicOrigin() origin: string): Promise<string> {
    const limit = this.config.RESULTS_MAX_BODY_BYTES;
    const tooLarge = `The request body is larger than the ${limit} bytes this server accepts.`;
    if (Number(request.headers['content-length'] ?? 0) > limit) throw ServiceError.payloadTooLarge(tooLarge);
    // Scanned as it streams past (nesting, NULs): a hostile document is refused here, before any parser sees it.
    const scanner = new JsonScanner();
    const body = await readOrParkBody(
      request,
      this.transfers,
      limit,
      () => tooLarge,
      (chunk) => scanner.push(chunk.toString('latin1')),
    ).catch((error: unknown) => {
      request.resume(); // discard the rest of a refused body so the client can read the answer
      throw error;
    });
    // results-import removes a parked body once it has read it; if it never got it, remove it here.
    const reply = await this.rpc.request(ResultsSubjects.create, { body }).catch(async (error: unknown) => {
      if ('ref' in body && error instanceof ServiceError && error.status === 503) await this.transfers.remove(body.ref);
      throw error;
    });
    return `${origin}/results?query=${reply.id}`;
  }

  @Get()
  @ApiOperation({ summary: 'Open a shared link: an HTML page, or JSON with Accept: application/json or ?format=json' })
  @ApiQuery({ name: 'query', description: 'The id from the link', example: '15675682358507007771' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'html'] })
  @ApiProduces('text/html', 'application/json')
  @ApiResponse({ status: 200, description: 'The results' })
  @ApiResponse({ status: 404, description: 'No such link, or it has expired' })
  // @Res(): a 404 page of its own, and the JSON document streamed to the raw response (see sendJson).
  async get(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { query, format } = request.query;
    const wantsJson = format === 'json' || (format !== 'html' && request.accepts(['html', 'json']) === 'json');
    if (query === undefined) {
      throw ServiceError.badRequest(
        "No 'query' parameter was given: open the link POST /results/ returned, /results?query=<id>.",
      );
    }
    const notFound = (message: string) => {
      response.status(404);
      if (wantsJson) response.json({ status: 404, message });
      else response.type('html').send(renderNotFoundPage(message));
    };
    const id = ResultIdSchema.safeParse(query);
    if (!id.success) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as it always read, "[object Object]" for a nested query
      notFound(`No results are stored under ${String(query).slice(0, 40)}: a link id is a number.`);
      return;
    }
    let reply;
    try {
      reply = await this.rpc.request(ResultsSubjects.get, { id: id.data });
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) {
        notFound(error.message);
        return;
      }
      throw error;
    }
    response.setHeader('Vary', 'Accept');
    if (wantsJson) return this.sendJson(reply, response);
    const stored = reply.document;
    const document =
      'inline' in stored ? Buffer.from(stored.inline) : await this.transfers.read(stored.object, stored.object.size);
    // Only the samples shown are parsed: the page's memory is bounded by what it shows, whatever the document holds.
    const { samples, sampleCount } = firstSamples(document, reply.type, SAMPLE_LIMIT);
    const view = { ...reply, samples: Object.fromEntries(samples), sampleCount };
    response.type('html').send(renderResultsPage(view));
  }

  /**
   * The whole document as {id, type, samples, createdAt, expiresAt}: the stored samples' text is streamed between
   * the other fields, never parsed or held whole, so any size of document costs the same memory.
   */
  private async sendJson(reply: ReplyOf<typeof ResultsSubjects.get>, response: Response): Promise<void> {
    const field = (name: string, value: string) => `${JSON.stringify(name)}:${JSON.stringify(value)}`;
    const before = `{${field('id', reply.id)},${field('type', reply.type)},"samples":`;
    const after = `,${field('createdAt', reply.createdAt)},${field('expiresAt', reply.expiresAt)}}`;
    const stored = reply.document;
    const size = 'inline' in stored ? Buffer.byteLength(stored.inline) : stored.object.size;
    const { start, end } = samplesRange(size, reply.type);
    // eslint-disable-next-line @typescript-eslint/require-await -- an AsyncGenerator, as transfers.stream() returns
    const inline = async function* (text: string) {
      yield Buffer.from(text);
    };
    const chunks = 'inline' in stored ? inline(stored.inline) : this.transfers.stream(stored.object);
    async function* body() {
      try {
        let next = await chunks.next(); // before any byte: a download that is gone is still answered as an error
        yield Buffer.from(before);
        for (let offset = 0; !next.done; next = await chunks.next()) {
          const chunk = next.value;
          const from = Math.max(start - offset, 0);
          const to = Math.min(end - offset, chunk.length);
          if (to > from) yield chunk.subarray(from, to);
          offset += chunk.length;
        }
        yield Buffer.from(after);
      } finally {
        await chunks.return(undefined); // a client that went away stops the read from the object store too
      }
    }
    const length = Buffer.byteLength(before) + (end - start) + Buffer.byteLength(after);
    await sendDownload(
      response,
      { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': length },
      body(),
    );
  }

  @Get('page.js')
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'public, max-age=3600')
  @Header('Content-Type', 'application/javascript; charset=utf-8') // set first: decorators apply bottom-up
  script(): string {
    return RESULTS_PAGE_SCRIPT;
  }
}
