import { type PageRequest, TypingSubjects } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicOrigin } from '../public-origin';
import { Page, PagingHeaders, sendTypingDownload } from './bigsdb-http';

/** BIGSdb / PubMLST reads of the resource groups, a database, its loci and alleles, answered by typing-db. */
@ApiTags('BIGSdb typing databases')
@Controller()
export class BigsdbSeqdefController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(['', 'db'])
  @ApiOperation({ summary: 'Resource groups and their databases' })
  listResources(@PublicOrigin() baseUri: string) {
    return this.rpc.request(TypingSubjects.listResources, { baseUri });
  }

  @Get('db/:database')
  @ApiOperation({ summary: 'The resources of a database' })
  getDatabase(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getDatabase, { baseUri, database });
  }

  @Get('db/:database/loci')
  @PagingHeaders()
  @ApiOperation({ summary: 'Loci (paged: page, page_size, return_all; X-OFFSET / X-PER-PAGE)' })
  listLoci(@PublicOrigin() baseUri: string, @Param('database') database: string, @Page() page: PageRequest) {
    return this.rpc.request(TypingSubjects.listLoci, { baseUri, database, page });
  }

  @Get('db/:database/loci/:locus')
  getLocus(@PublicOrigin() baseUri: string, @Param('database') database: string, @Param('locus') locus: string) {
    return this.rpc.request(TypingSubjects.getLocus, { baseUri, database, locus });
  }

  @Get('db/:database/loci/:locus/alleles')
  @PagingHeaders()
  @ApiOperation({ summary: 'Alleles of a locus (paged)' })
  listAlleles(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('locus') locus: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listAlleles, { baseUri, database, locus, page });
  }

  @Get('db/:database/loci/:locus/alleles/:alleleId')
  getAllele(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('locus') locus: string,
    @Param('alleleId') alleleId: string,
  ) {
    return this.rpc.request(TypingSubjects.getAllele, { baseUri, database, locus, alleleId });
  }

  @Get('db/:database/loci/:locus/alleles_fasta')
  @ApiOperation({ summary: 'All alleles of a locus as FASTA (streamed)' })
  // @Res(): typing-db's stream goes to the raw response as it comes (first chunk read before any header, cut short on a failed read).
  async allelesFasta(@Res() response: Response, @Param('database') database: string, @Param('locus') locus: string) {
    await sendTypingDownload(response, this.rpc.stream(TypingSubjects.allelesFasta, { database, locus }));
  }

  @Get('db/:database/sequences')
  getSequences(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getSequences, { baseUri, database });
  }

  @Get('db/:database/curators')
  listCurators(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listCurators, { baseUri, database });
  }

  @Get('db/:database/users/:userId')
  getUser(@Param('database') database: string, @Param('userId') userId: string) {
    return this.rpc.request(TypingSubjects.getUser, { database, userId });
  }
}
