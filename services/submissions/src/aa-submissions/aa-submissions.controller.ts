import { AaSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { AaBatchesService } from './aa-batches.service';
import { AaJobsService } from './aa-jobs.service';
import { AaSubmissionsService } from './aa-submissions.service';

/** submissions.aa-*: analytics_automated's job discovery, batches, submissions and result files. */
@Controller()
export class AaSubmissionsController {
  constructor(
    private readonly jobs: AaJobsService,
    private readonly batches: AaBatchesService,
    private readonly aa: AaSubmissionsService,
  ) {}

  @HandleRequest(AaSubjects.endpoints)
  endpoints() {
    return this.jobs.endpoints();
  }
  @HandleRequest(AaSubjects.listJobs)
  listJobs() {
    return this.jobs.listJobs();
  }
  @HandleRequest(AaSubjects.getJob)
  getJob({ name }: ParsedRequest<typeof AaSubjects.getJob>) {
    return this.jobs.job(name);
  }
  @HandleRequest(AaSubjects.jobTimes)
  jobTimes() {
    return this.jobs.jobTimes();
  }
  @HandleRequest(AaSubjects.submit)
  submit(request: ParsedRequest<typeof AaSubjects.submit>) {
    return this.batches.submit(request);
  }
  @HandleRequest(AaSubjects.getBatch)
  getBatch({ uuid }: ParsedRequest<typeof AaSubjects.getBatch>) {
    return this.aa.batch(uuid);
  }
  @HandleRequest(AaSubjects.getSubmission)
  getSubmission({ uuid }: ParsedRequest<typeof AaSubjects.getSubmission>) {
    return this.aa.submission(uuid);
  }
  @HandleRequest(AaSubjects.getFile)
  getFile({ name }: ParsedRequest<typeof AaSubjects.getFile>) {
    return this.aa.file(name);
  }
}
