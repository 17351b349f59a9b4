import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { SequenceQueryService } from './sequence-query.service';

/** typing-db.sequences.query and typing-db.scheme-designations.query: typing a sequence or designations. */
@Controller()
export class SequenceQueryController {
  constructor(private readonly sequenceQueries: SequenceQueryService) {}

  @HandleRequest(TypingSubjects.querySequence)
  querySequence(request: ParsedRequest<typeof TypingSubjects.querySequence>) {
    return this.sequenceQueries.querySequence(request);
  }

  @HandleRequest(TypingSubjects.queryDesignations)
  queryDesignations(request: ParsedRequest<typeof TypingSubjects.queryDesignations>) {
    return this.sequenceQueries.queryDesignations(request);
  }
}
