import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ObjectRef, type PageRequest, TypingSubjects } from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { publicOrigin } from '../public-origin';

/** The request's paging inputs, as BIGSdb reads them: query parameters and the X-OFFSET / X-PER-PAGE headers. */
function pageRequest(request: Request): PageRequest {
  const at = request.originalUrl.indexOf('?');
  const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string).slice(0, 50) : undefined);
  return {
    path: request.path,
    query: [...new URLSearchParams(at >= 0 ? request.originalUrl.slice(at + 1) : '')],
    offsetHeader: header('x-offset'),
    perPageHeader: header('x-per-page'),
  };
}

/** A BIGSdb flag parameter (with_pk, allele_ids_only…): on for any value but "" and "0", as Perl reads it. */
const flag = (value: unknown) => typeof value === 'string' && value !== '' && value !== '0';

/** BIGSdb / PubMLST REST read routes, answered by the typing-db service. */
@ApiTags('BIGSdb typing databases')
@Controller()
export class BigsdbTypingController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A download the service streamed into the object store, streamed on to the client as text/plain. */
  private async download(response: Response, ref: ObjectRef): Promise<void> {
    response.type('text/plain; charset=UTF-8');
    try {
      await pipeline(Readable.from(this.transfers.stream(ref)), response);
    } finally {
      await this.transfers.remove(ref);
    }
  }

  private base(request: Request): string {
    return publicOrigin(request, this.config.PUBLIC_URL, this.config.PORT);
  }

  private paged(response: Response, reply: { body: Record<string, unknown>; headers: { perPage: number; offset: number; totalPages: number } }) {
    response.setHeader('X-Per-Page', reply.headers.perPage);
    response.setHeader('X-Offset', reply.headers.offset);
    response.setHeader('X-Total-Pages', reply.headers.totalPages);
    response.json(reply.body);
  }

  @Get(['', 'db'])
  @ApiOperation({ summary: 'Resource groups and their databases' })
  resources(@Req() request: Request) {
    return this.rpc.request(TypingSubjects.listResources, { baseUri: this.base(request) });
  }

  @Get('db/:database')
  @ApiOperation({ summary: 'The resources of a database' })
  database(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getDatabase, { baseUri: this.base(request), database });
  }

  @Get('db/:database/loci')
  @ApiOperation({ summary: 'Loci (paged: page, page_size, return_all; X-OFFSET / X-PER-PAGE)' })
  async loci(@Req() request: Request, @Res() response: Response, @Param('database') database: string) {
    this.paged(response, await this.rpc.request(TypingSubjects.listLoci, { baseUri: this.base(request), database, page: pageRequest(request) }));
  }

  @Get('db/:database/loci/:locus')
  locus(@Req() request: Request, @Param('database') database: string, @Param('locus') locus: string) {
    return this.rpc.request(TypingSubjects.getLocus, { baseUri: this.base(request), database, locus });
  }

  @Get('db/:database/loci/:locus/alleles')
  @ApiOperation({ summary: 'Alleles of a locus (paged)' })
  async alleles(@Req() request: Request, @Res() response: Response, @Param('database') database: string, @Param('locus') locus: string) {
    this.paged(response, await this.rpc.request(TypingSubjects.listAlleles, { baseUri: this.base(request), database, locus, page: pageRequest(request) }));
  }

  @Get('db/:database/loci/:locus/alleles/:alleleId')
  allele(@Req() request: Request, @Param('database') database: string, @Param('locus') locus: string, @Param('alleleId') alleleId: string) {
    return this.rpc.request(TypingSubjects.getAllele, { baseUri: this.base(request), database, locus, alleleId });
  }

  @Get('db/:database/loci/:locus/alleles_fasta')
  @ApiOperation({ summary: 'All alleles of a locus as FASTA (streamed)' })
  async allelesFasta(@Res() response: Response, @Param('database') database: string, @Param('locus') locus: string) {
    await this.download(response, await this.rpc.request(TypingSubjects.allelesFasta, { database, locus }));
  }

  @Get('db/:database/sequences')
  sequences(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getSequences, { baseUri: this.base(request), database });
  }

  @Get('db/:database/curators')
  curators(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listCurators, { baseUri: this.base(request), database });
  }

  @Get('db/:database/schemes/:schemeId/fields/:field')
  schemeField(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string, @Param('field') field: string) {
    return this.rpc.request(TypingSubjects.getSchemeField, { baseUri: this.base(request), database, schemeId, field });
  }

  @Get('db/:database/schemes')
  schemes(@Req() request: Request, @Param('database') database: string) {
    const withPk = flag(request.query.with_pk);
    return this.rpc.request(TypingSubjects.listSchemes, { baseUri: this.base(request), database, withPk });
  }

  @Get('db/:database/schemes/:schemeId')
  scheme(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    return this.rpc.request(TypingSubjects.getScheme, { baseUri: this.base(request), database, schemeId });
  }

  @Get('db/:database/schemes/:schemeId/profiles')
  @ApiOperation({ summary: 'Profiles of a scheme (paged)' })
  async profiles(@Req() request: Request, @Res() response: Response, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    this.paged(response, await this.rpc.request(TypingSubjects.listProfiles, { baseUri: this.base(request), database, schemeId, page: pageRequest(request) }));
  }

  @Get('db/:database/schemes/:schemeId/profiles/:profileId')
  profile(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string, @Param('profileId') profileId: string) {
    const alleleIdsOnly = flag(request.query.allele_ids_only);
    return this.rpc.request(TypingSubjects.getProfile, { baseUri: this.base(request), database, schemeId, profileId, alleleIdsOnly });
  }

  @Get('db/:database/schemes/:schemeId/profiles_csv')
  @ApiOperation({ summary: 'All profiles of a scheme, tab-separated (streamed)' })
  async profilesCsv(@Res() response: Response, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    await this.download(response, await this.rpc.request(TypingSubjects.profilesCsv, { database, schemeId }));
  }
}
