import { type ParsedRequest, SubmissionSupportSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { SubmissionSupportService } from './submission-support.service';

/** typing-db.submission-*: what the submissions service asks of typing databases. */
@Controller()
export class SubmissionSupportController {
  constructor(private readonly support: SubmissionSupportService) {}

  @HandleRequest(SubmissionSupportSubjects.context)
  context(request: ParsedRequest<typeof SubmissionSupportSubjects.context>) {
    return this.support.context(request);
  }

  @HandleRequest(SubmissionSupportSubjects.checkAlleles)
  checkAlleles(request: ParsedRequest<typeof SubmissionSupportSubjects.checkAlleles>) {
    return this.support.checkAlleles(request);
  }

  @HandleRequest(SubmissionSupportSubjects.scheme)
  scheme(request: ParsedRequest<typeof SubmissionSupportSubjects.scheme>) {
    return this.support.scheme(request);
  }

  @HandleRequest(SubmissionSupportSubjects.checkProfiles)
  checkProfiles(request: ParsedRequest<typeof SubmissionSupportSubjects.checkProfiles>) {
    return this.support.checkProfiles(request);
  }

  @HandleRequest(SubmissionSupportSubjects.checkIsolates)
  checkIsolates(request: ParsedRequest<typeof SubmissionSupportSubjects.checkIsolates>) {
    return this.support.checkIsolates(request);
  }

  @HandleRequest(SubmissionSupportSubjects.assignAllele)
  assignAllele(request: ParsedRequest<typeof SubmissionSupportSubjects.assignAllele>) {
    return this.support.assignAllele(request);
  }

  @HandleRequest(SubmissionSupportSubjects.assignProfile)
  assignProfile(request: ParsedRequest<typeof SubmissionSupportSubjects.assignProfile>) {
    return this.support.assignProfile(request);
  }
}
