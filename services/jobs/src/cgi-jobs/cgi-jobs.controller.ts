import { JobSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { CgiJobsService } from './cgi-jobs.service';

/** The jobs.cgi-jobs.* subjects. */
@Controller()
export class CgiJobsController {
  constructor(private readonly cgiJobs: CgiJobsService) {}

  @HandleRequest(JobSubjects.launchCgi)
  launchCgi(request: ParsedRequest<typeof JobSubjects.launchCgi>) {
    return this.cgiJobs.launchCgi(request);
  }
}
