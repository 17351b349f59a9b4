import {
  BIGSDB_MALFORMED_REQUEST,
  renameInvalidJson,
  SEQUENCE_QUERY_MAX_BYTES,
  type SequenceQueryTarget,
  TypingSubjects,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { readJsonObject, readOrParkBody } from '../http-body';
import { PublicOrigin } from '../public-origin';

/** Dancer2's text for a body over max_upload_size, as BIGSdb answers it. */
function bodyTooLarge(declaredBytes?: number): string {
  const limit = `${SEQUENCE_QUERY_MAX_BYTES / 1024 ** 2} MB`;
  return declaredBytes === undefined
    ? `POST body is too large - limit is ${limit}`
    : `POST body is too large (${(declaredBytes / 1024 ** 2).toFixed(1)} MB) - limit is ${limit}`;
}

/** BIGSdb / PubMLST sequence queries (a locus, every locus, a scheme) and profile lookups by designations. */
@ApiTags('BIGSdb typing databases')
@Controller('db/:database')
export class BigsdbSequenceQueryController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
  ) {}

  /** A sequence query: the body goes on unparsed (through the object store when large); typing-db parses it. */
  private async querySequence(request: Request, baseUri: string, database: string, target: SequenceQueryTarget) {
    const body = await readOrParkBody(request, this.transfers, SEQUENCE_QUERY_MAX_BYTES, bodyTooLarge);
    try {
      return await this.rpc.request(TypingSubjects.querySequence, { baseUri, database, target, body });
    } catch (error) {
      // typing-db removes a parked body it read; one it never got (no answer, timeout) is removed here.
      if ('ref' in body) await this.transfers.remove(body.ref);
      throw error;
    }
  }

  @Post('loci/:locus/sequence')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Identify the allele of a locus in a sequence or base64 FASTA: exact matches, else the best match',
  })
  querySequenceOfLocus(
    @Req() request: Request,
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('locus') locus: string,
  ) {
    return this.querySequence(request, baseUri, database, { kind: 'locus', locus });
  }

  @Post('sequence')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exact matches of every locus in a sequence or base64 FASTA' })
  querySequenceOfAllLoci(
    @Req() request: Request,
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
  ) {
    return this.querySequence(request, baseUri, database, { kind: 'all' });
  }

  @Post('schemes/:schemeId/sequence')
  @HttpCode(200)
  @ApiOperation({
    summary: "Type a sequence or genome with a scheme: exact matches of its loci and the profile's fields (ST…)",
  })
  querySequenceOfScheme(
    @Req() request: Request,
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    return this.querySequence(request, baseUri, database, { kind: 'scheme', schemeId });
  }

  @Post('schemes/:schemeId/designations')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The scheme fields (ST…) of an allelic profile given as {designations: {locus: [{allele}]}}',
  })
  async queryDesignations(
    @Req() request: Request,
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    const body = await readJsonObject(request).catch(renameInvalidJson(BIGSDB_MALFORMED_REQUEST));
    return this.rpc.request(TypingSubjects.queryDesignations, { baseUri, database, schemeId, body });
  }
}
