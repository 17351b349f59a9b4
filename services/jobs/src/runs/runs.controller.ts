import { JobSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { RunsService } from './runs.service';

/** The jobs.runs.* subjects: the callers' (submit, get, list, logs, cancel, delete) and the workers' (start, append-log, finish). */
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @HandleRequest(JobSubjects.submitRun)
  submitRun(request: ParsedRequest<typeof JobSubjects.submitRun>) {
    return this.runs.submitRun(request);
  }

  @HandleRequest(JobSubjects.getRun)
  getRun(request: ParsedRequest<typeof JobSubjects.getRun>) {
    return this.runs.getRun(request);
  }

  @HandleRequest(JobSubjects.listRuns)
  listRuns(request: ParsedRequest<typeof JobSubjects.listRuns>) {
    return this.runs.listRuns(request);
  }

  @HandleRequest(JobSubjects.getLogs)
  getLogs(request: ParsedRequest<typeof JobSubjects.getLogs>) {
    return this.runs.getLogs(request);
  }

  @HandleRequest(JobSubjects.cancelRun)
  cancelRun(request: ParsedRequest<typeof JobSubjects.cancelRun>) {
    return this.runs.cancelRun(request);
  }

  @HandleRequest(JobSubjects.deleteRun)
  deleteRun(request: ParsedRequest<typeof JobSubjects.deleteRun>) {
    return this.runs.deleteRun(request);
  }

  @HandleRequest(JobSubjects.startRun)
  startRun(request: ParsedRequest<typeof JobSubjects.startRun>) {
    return this.runs.startRun(request);
  }

  @HandleRequest(JobSubjects.appendLog)
  appendLog(request: ParsedRequest<typeof JobSubjects.appendLog>) {
    return this.runs.appendLog(request);
  }

  @HandleRequest(JobSubjects.finishRun)
  finishRun(request: ParsedRequest<typeof JobSubjects.finishRun>) {
    return this.runs.finishRun(request);
  }
}
